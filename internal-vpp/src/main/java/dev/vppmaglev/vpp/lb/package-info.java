/**
 * The lb reconciler: from config + live health to the exact VIPs, application servers (ASes)
 * and weights in VPP's lb plugin (behaviour.md §4, §5.2–5.7; spec README "VPP compatibility").
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.vppmaglev.vpp.lb.DesiredState}: per frontend the desired VIP — key (host
 *       prefix, protocol number, port), encap from the backends' family, {@code src_ip_sticky},
 *       ASes with weight and flush from {@code Weights.effectiveWeights} (the one place of those
 *       rules).</li>
 *   <li>{@code VipPlanner}: the diff of one VIP against what VPP holds — add, recreate (sticky,
 *       encap or table-length change), add / set weight / delete ASes — in
 *       {@link dev.vppmaglev.vpp.lb.IpOrder} (numeric, IPv4 before IPv6), sending only calls that
 *       change something.</li>
 *   <li>{@code LbSyncEngine}: full and targeted syncs against one VPP session, the cache, the
 *       {@code lb_conf} push; {@link dev.vppmaglev.vpp.lb.LbStateReader}: the read-back.</li>
 *   <li>{@link dev.vppmaglev.vpp.lb.Warmup}: the startup warmup;
 *       {@code SyncQueue}: the serial, coalescing sync executor;
 *       {@link dev.vppmaglev.vpp.lb.LbReconciler}: the wiring (triggers, timers, operator
 *       calls).</li>
 * </ul>
 *
 * <h2>The cache (a deliberate improvement on the reference)</h2>
 * The reference re-read VPP's AS table for every per-VIP sync. An unfiltered AS dump is the only
 * correct read (a prefix filter drops IPv4 replies), and at 1,000 VIPs × 32 ASes it is ~33,000
 * details messages (~32 ms of VPP time, 2.3 MB) — for every backend transition. Here the
 * reconciler keeps its own picture of VPP's lb table: the full sync replaces it with a fresh read
 * ({@code lb_vip_dump} + one {@code lb_as_v2_dump} + {@code show lb vips verbose}), every
 * successful call updates it, and per-VIP syncs diff against it without reading. It is only
 * trusted while nothing went wrong: any failed call (a negative retval, a timeout, a lost
 * connection) or failed read drops it and schedules a full sync, and a new VPP session always
 * starts without one. Changes made to VPP behind maglevd's back are therefore repaired by the next
 * full sync — every {@code sync-interval} (30 s) — which is the drift repair.
 *
 * <h2>The CLI text is best effort</h2>
 * {@code show lb vips verbose} is debug-CLI text, not an API: a newer VPP may print a flag or a
 * line the parser does not know. A VIP block that does not parse is skipped, not fatal: that VIP's
 * {@code src_ip_sticky} and table length fall back to "unknown" (never a recreate on missing
 * information; the table length comes from {@code lb_vip_details} when VPP has the fixed
 * handlers), its lb index to -1, its flow counts to unknown (an AS at weight 0 then counts as
 * clean only if the cache knew it clean at 0 before the read; otherwise a requested flush is
 * sent). Every sync goes on; {@code vpp-lb-cli-parse-error} says so at WARN once per distinct
 * problem per 10 minutes. (A details message of a dump that does not decode still fails the whole
 * dump: the API client has no way to skip one.)
 *
 * <h2>The lb indexes</h2>
 * Every read carries each VIP's lb index (the CLI's {@code [N]}); the cache keeps it, and marks it
 * unknown for a VIP it creates (VPP's reply does not say where). After each sync that may have
 * changed them (a read, a VIP added or deleted) the reconciler hands them to its
 * {@link dev.vppmaglev.vpp.lb.LbIndexListener} — in maglevd the counters scrape, which then needs
 * no CLI scrape of its own; after a failed sync it says they are unknown (a call that timed out
 * may have been applied, moving a VIP), and the repair full sync hands over fresh ones.
 *
 * <h2>Full sync</h2>
 * The fresh read (with {@code lb_conf_get}), {@code lb_conf} when it differs from the config,
 * then VIPs not in the config are deleted (ASes
 * first, with flush; maglevd owns the whole lb table) — before the frontends are reconciled, so a
 * frontend switching between all-port and per-port on one address (which VPP refuses side by
 * side) converges in one pass — then every frontend in config order. Calls are sent back to back
 * (the API client pipelines them, window 16) and their answers applied in order.
 *
 * <h2>Flush</h2>
 * Flush is requested for down (per {@code flush-on-down}), disabled and removed backends. The set-
 * weight call is sent when the weight differs, or when flush is requested and the AS may still
 * hold sticky flows — even when its weight is already 0 (behaviour.md §12 item 10: drained by
 * failover, then disabled). An AS is known clean when VPP's last read showed it at weight 0 with
 * no flows, or when we flushed it at weight 0 and it stayed at 0 (without buckets it gets no new
 * flows); flushing a clean AS would evict nothing and rebuild the table for nothing, so it is not
 * sent. An AS we create at weight 0 is clean too (it never had a bucket) — unless VPP still held
 * the address as a removed, not yet collected AS of the VIP: VPP revives that entry with its
 * sticky flows, so it is clean only when added with flush. That keeps "an in-sync table costs
 * zero mutating calls" true with down backends too.
 *
 * <h2>The new-flow table length</h2>
 * VIPs are created with 1024 buckets ({@code new_flows_table_length}; never 0, behaviour.md §12
 * item 5). A VIP that VPP holds with another length (created by hand or by another tool) is
 * recreated like a {@code src_ip_sticky} or encap change: its Maglev table, and so the choice of
 * AS per flow, would differ from what every other maglevd builds, and VPP cannot change the length
 * of a live VIP (a second add is refused with -81, there is no set call). The recreate flushes the
 * VIP's flows once; that is the price of identical tables, and it happens only for a VIP maglevd
 * did not create. The length is compared only when known: from the CLI's {@code new_size}, or
 * from {@code lb_vip_details} on a VPP with {@code lb_conf_get} (older handlers byte-swap it).
 *
 * <h2>Startup warmup and the full sync</h2>
 * During the warmup's hands-off phase nothing is synced and nothing is written, not even
 * {@code lb_conf} (the first sync on a session pushes it, before any VIP is created). During the
 * release phase a full sync (connect,
 * reload, periodic) reads VPP and reconciles only the released frontends, and deletes no VIP:
 * deletion is not health-driven, but the goal of the warmup is that a restarted maglevd makes no
 * change at all until it knows enough, and a maglevd restarted with a wrong or partial config
 * (the usual cause of a "stale" VIP at startup) then still gives the operator until
 * {@code startup-max-delay} before it deletes anything; the final full sync at the end of the
 * warmup deletes them. Unreleased frontends are untouched by every path, so on a restart against a
 * VPP that holds the table maglevd issues zero mutating calls until each VIP's backends are
 * known, and then — with the same health — still zero: the same table. Operator syncs are
 * explicit and override the warmup (a full sync ends it; a frontend sync releases that
 * frontend).
 *
 * <h2>Degraded mode</h2>
 * On a VPP without the lb v2 messages: weights 1..100 mean "in" (v1 add), weight 0 deletes the
 * AS (with flush only when flush is requested). {@code VppConnection} logs
 * {@code vpp-lb-degraded} once per connection.
 *
 * <h2>lb_conf, message by message</h2>
 * {@code lb_conf} is gated on the messages VPP actually has, not on the v2 set as a whole:
 * whenever {@code lb_conf_get} is there the settings are read and compared (pushed only when they
 * differ), even if other v2 messages are missing. Without it they are pushed once per session and
 * again when the config's part changes. {@code lb_conf} always writes both source addresses, so a
 * family the config leaves unset is sent back as VPP has it — from {@code lb_conf_get}, or from
 * {@code show lb} without it — never overwritten; only when neither tells is it written as VPP's
 * "unset" (all ones), with a {@code vpp-lbconf-src-unknown} WARN that says why.
 */
package dev.vppmaglev.vpp.lb;
