// Constants shared by the link server the harness starts (harness-link-server.mjs, Node only) and
// the portable tests that talk to it (Node and, bundled, Chromium).

/** The Snag ids the test link server is configured with: Snag must receive these, never a page's. */
export const LINK_SNAG_IDS = Object.freeze({ websiteId: 'link-server-website', organizationId: 'link-server-organization' });

/** In Node (no page, no Origin) the link server's domain, which the tests sign as linkWallet's `domain`. */
export const NODE_LINK_DOMAIN = 'localhost:5173';
