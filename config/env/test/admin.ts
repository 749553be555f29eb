// Test files boot Strapi many times in one process; the in-memory login rate limit would outlive each boot.
export default {
  rateLimit: { enabled: false },
};
