const Database = require('better-sqlite3');
const db = new Database(':memory:');
db.exec('create table t (__row integer primary key, region text, product text, channel text, amount float, quantity bigint, soldAt datetime)');
const ins = db.prepare('insert into t (region, product, channel, amount, quantity, soldAt) values (?,?,?,?,?,?)');
const tx = db.transaction(() => { for (let i = 0; i < 20000; i++) ins.run(['North','East','West'][i%3], 'p'+(i%7), 'online', Math.random()*2000, i%9, 1767225600000 + Math.floor(Math.random()*300*86400000)); });
tx();
db.exec('create index ia on t(amount)');
const st = db.prepare('select region, product, channel, amount, quantity, soldAt from t where amount > ? order by amount desc, __row asc limit ?');
const DAY_MS = 86400000; const dayPrefixes = new Map();
const pad2 = (n) => (n < 10 ? `0${n}` : `${n}`); const pad3 = (n) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const isoOf = (millis) => { const day = Math.floor(millis / DAY_MS); let prefix = dayPrefixes.get(day);
  if (prefix === undefined) { const iso = new Date(day * DAY_MS).toISOString(); prefix = iso.slice(0, iso.indexOf('T') + 1); dayPrefixes.set(day, prefix); }
  const time = millis - day * DAY_MS; const seconds = Math.floor(time / 1000);
  return `${prefix}${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}.${pad3(time % 1000)}Z`; };
const names = ['region','product','channel','amount','quantity','soldAt'];
const conv = [String, String, String, Number, Number, isoOf];
const variants = {
  none: (rows) => rows,
  inPlace: (rows) => { for (const r of rows) { const v = r.soldAt; if (v != null) r.soldAt = isoOf(v); } return rows; },
  spreadThen: (rows) => rows.map((r) => { const o = { ...r }; if (o.soldAt != null) o.soldAt = isoOf(o.soldAt); return o; }),
  oldNormalizer: (rows) => rows.map((row) => { const out = {}; for (let i = 0; i < names.length; i++) { const v = row[names[i]]; out[names[i]] = v == null ? null : conv[i](v); } return out; }),
  literal: (() => { const f = new Function('c', 'return (row) => ({' + names.map((n, i) => `${JSON.stringify(n)}: ${i === 5 ? `row[${JSON.stringify(n)}] == null ? null : c(row[${JSON.stringify(n)}])` : `row[${JSON.stringify(n)}]`}`).join(', ') + '})')(isoOf); return (rows) => rows.map(f); })(),
  isoOnly: (rows) => { let s = 0; for (const r of rows) s += isoOf(r.soldAt).length; return rows; },
};
for (let round = 0; round < 5; round++) {
  const out = [];
  for (const [name, fn] of Object.entries(variants)) {
    const t = process.cpuUsage(); for (let i = 0; i < 3000; i++) fn(st.all([1500, 100])); const u = process.cpuUsage(t);
    out.push(`${name} ${((u.user + u.system) / 3000).toFixed(1)}`);
  }
  console.log(out.join(' | '));
}
