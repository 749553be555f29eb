import { factories } from '@strapi/strapi';

export interface RegionSummary {
  region: string;
  sales: number;
  quantity: number;
  amount: number;
}

export default factories.createCoreService('api::sale.sale', ({ strapi }) => ({
  async summary(): Promise<RegionSummary[]> {
    const rows = await strapi.db
      .connection('sales')
      .select('region')
      .count({ sales: '*' })
      .sum({ quantity: 'quantity', amount: 'amount' })
      .groupBy('region')
      .orderBy('region');
    return rows.map((row: Record<string, unknown>) => ({
      region: String(row.region),
      sales: Number(row.sales),
      quantity: Number(row.quantity),
      amount: Math.round(Number(row.amount) * 100) / 100,
    }));
  },
}));
