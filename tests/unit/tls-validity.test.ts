// How long the homelab's certificates live, against the limits that make them useful: what clients
// accept for a server certificate, and when a routine monthly `pulumi up` renews them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CA_EARLY_RENEWAL_HOURS, CA_VALIDITY_HOURS, LEAF_EARLY_RENEWAL_HOURS, LEAF_VALIDITY_HOURS } from "../../components/tls/validity";
import { PROJECT_ROOT } from "../../tools/paths";

const DAY = 24;
/** Chrome and Apple refuse server certificates valid longer than 398 days (CA/B Forum ballot SC22's limit). */
const BROWSER_LIMIT_DAYS = 398;
/** The longest month: an owner who runs `pulumi up` monthly never waits longer between two. */
const LONGEST_GAP_BETWEEN_UPS_DAYS = 31;

describe("certificate validity", () => {
    it("gives a leaf more than a year, in whole days, but no more than browsers accept", () => {
        expect(LEAF_VALIDITY_HOURS % DAY).toBe(0);
        expect(LEAF_VALIDITY_HOURS).toBeGreaterThan(365 * DAY);
        expect(LEAF_VALIDITY_HOURS).toBeLessThanOrEqual(BROWSER_LIMIT_DAYS * DAY);
    });

    it("renews a leaf early enough that monthly ups never see it expire, and not before it was used", () => {
        // Renewal starts when the remaining validity falls below the early-renewal window: an up
        // inside the window renews, and the next up is at most a month later.
        expect(LEAF_EARLY_RENEWAL_HOURS).toBeGreaterThanOrEqual(LONGEST_GAP_BETWEEN_UPS_DAYS * DAY);
        expect(LEAF_EARLY_RENEWAL_HOURS % DAY).toBe(0);
        expect(LEAF_VALIDITY_HOURS - LEAF_EARLY_RENEWAL_HOURS).toBeGreaterThanOrEqual(300 * DAY);
    });

    it("gives the root CA ten years, and shows its replacement a whole year before it expires", () => {
        expect(CA_VALIDITY_HOURS).toBe(10 * 365 * DAY);
        expect(CA_EARLY_RENEWAL_HOURS).toBe(365 * DAY);
    });

    it("is what docs/names-and-tls.md tells the owner", () => {
        const text = readFileSync(join(PROJECT_ROOT, "docs", "names-and-tls.md"), "utf8").replace(/\s+/g, " ");
        const number = (pattern: RegExp) => Number(pattern.exec(text)?.[1]);
        expect(LEAF_VALIDITY_HOURS).toBe(number(/The leaves are valid (\d+) days/) * DAY);
        expect(LEAF_EARLY_RENEWAL_HOURS).toBe(number(/within (\d+) days of expiry a preview shows their replacement/) * DAY);
        expect(CA_VALIDITY_HOURS).toBe(number(/The CA itself is valid (\d+) years; a year before it expires/) * 365 * DAY);
    });

    it("tells the owner a gap between ups no longer than the renewal window, the longest that cannot step over it", () => {
        // Two ups further apart than the window can fall one just before it and one after expiry.
        const text = readFileSync(join(PROJECT_ROOT, "docs", "names-and-tls.md"), "utf8").replace(/\s+/g, " ");
        const advised = Number(/Run `pulumi up` at least every (\d+) days/.exec(text)?.[1]);
        expect(advised * DAY).toBeLessThanOrEqual(LEAF_EARLY_RENEWAL_HOURS);
        expect(advised).toBeGreaterThanOrEqual(LONGEST_GAP_BETWEEN_UPS_DAYS);
    });
});
