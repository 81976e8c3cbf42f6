// How long the homelab's own certificates live, and when a routine `pulumi up` renews them.

const HOURS_PER_DAY = 24;

/** The root CA: 10 years, so devices trust it once for the life of the homelab. */
export const CA_VALIDITY_HOURS = 10 * 365 * HOURS_PER_DAY;
/** A year before it expires, a preview shows the CA's replacement: time to plan re-trusting it. */
export const CA_EARLY_RENEWAL_HOURS = 365 * HOURS_PER_DAY;
/**
 * A leaf: 397 days, the most browsers accept for a server certificate (Apple and Chrome refuse
 * longer ones from public CAs, and iOS refuses more than 825 days from any CA).
 */
export const LEAF_VALIDITY_HOURS = 397 * HOURS_PER_DAY;
/** Within 60 days of expiry, any `pulumi up` issues a new leaf: monthly ups never see one expire. */
export const LEAF_EARLY_RENEWAL_HOURS = 60 * HOURS_PER_DAY;
