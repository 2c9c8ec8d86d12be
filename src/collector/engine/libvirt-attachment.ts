import { hostUuidOf } from '../libvirt/capabilities-xml';
import type { GraphicsEvent, LifecycleEvent } from '../libvirt/domain-events';
import type { LibvirtConnection } from '../libvirt/libvirt-connection';
import type { DomainRef } from '../libvirt/remote-types';
import type { DisplayTracker } from '../vm/display-tracker';
import { BalloonPeriod } from './balloon-period';
import { queryDisplayClients } from './display-seeder';
import { DomainRefresher } from './domain-refresher';
import { readDomain, readDomainFlags, type DomainFlags } from './domain-reader';
import type { VmEventDetail, VmInventoryEntry } from '../../shared/model/engine-events';
import { versionText, type LibvirtFacts } from '../../shared/model/libvirt-facts';
import { errorLine } from './error-line';
import type { InventoryChange, VmInventory } from './vm-inventory';
import { VM_STATE_RUNNING } from './vm-state';

/** virDomainModificationImpact: change the running domain, not its saved definition. */
const AFFECT_LIVE = 1;

/** What an attachment keeps up to date and reports to: the session's, outliving connections. */
export interface AttachmentOwner {
  readonly inventory: VmInventory;
  readonly display: DisplayTracker;
  /** What the daemon says of itself, and the host's CPU count (the divisor of host CPU %). */
  libvirtHost(facts: LibvirtFacts, nodeCpus: number | null): void;
  /** A domain went: whatever else the session keeps of it goes too. */
  domainGone(uuid: string): void;
  reportInventory(change: InventoryChange, entry: VmInventoryEntry): void;
  reportVmEvent(domain: DomainRef, event: VmEventDetail, ts: number): void;
  warn(message: string): void;
  /** Work that stop() must wait for. */
  track(task: Promise<unknown>): void;
}

/**
 * One libvirt connection of a session and everything begun on it: its event subscriptions, the
 * domain reads, the balloon periods, the display seeding. When the session lets the connection
 * go it detaches the attachment, and every step checks `current` when it resumes, so late
 * replies of a connection that was replaced cannot touch the session's state.
 */
export class LibvirtAttachment {
  private detached = false;
  private readonly refresher: DomainRefresher;
  private readonly balloon: BalloonPeriod;

  constructor(
    readonly lv: LibvirtConnection,
    private readonly owner: AttachmentOwner,
    memoryStatsPeriodSec: number,
  ) {
    this.balloon = new BalloonPeriod(memoryStatsPeriodSec);
    this.refresher = new DomainRefresher(
      (domain) => this.refreshDomain(domain, undefined),
      (domain, error) =>
        this.owner.warn(`${domain.name}: cannot read the domain: ${errorLine(error)}`),
    );
  }

  /** False once the session let this connection go. */
  get current(): boolean {
    return !this.detached;
  }

  /** Nothing begun on this connection reports anything from now on. */
  detach(): void {
    this.detached = true;
    this.refresher.close();
  }

  /**
   * Subscribes to lifecycle and display events, asks the host's name and size, and reads every
   * domain. Rejects when the connection fails on the way.
   */
  async attach(): Promise<void> {
    const { lv } = this;
    await lv.subscribe('lifecycle', (event) => this.onLifecycle(event));
    await lv.subscribe('graphics', (event) => this.onGraphics(event));
    // Each fact is optional: a driver that refuses one still has its domains read.
    const [hostname, node, libvirtVersion, hypervisorVersion, hostUuid] = await Promise.all([
      lv.getHostname().catch(() => null),
      lv.nodeGetInfo().catch(() => null),
      lv.getLibVersion().then(versionText, () => null),
      lv.getVersion().then(versionText, () => null),
      lv.getCapabilities().then(
        (xml) => this.hostUuid(xml),
        () => null,
      ),
    ]);
    if (!this.current) return;
    this.owner.libvirtHost(
      { hostname, libvirtVersion, hypervisorVersion, hostUuid },
      node?.cpus ?? null,
    );
    await this.loadInventory();
  }

  /** The capabilities' host UUID; an unreadable document is said once and counts as none. */
  private hostUuid(capabilitiesXml: string): string | null {
    try {
      return hostUuidOf(capabilitiesXml);
    } catch (error) {
      if (this.current) this.owner.warn(errorLine(error));
      return null;
    }
  }

  /** Reads the domain again soon (coalesced with reads already asked for). */
  requestRefresh(domain: DomainRef): void {
    const run = this.refresher.request(domain);
    if (run) this.owner.track(run);
  }

  /** Lists every domain, reads each, marks the ones that vanished, asks QEMU who is watching. */
  private async loadInventory(): Promise<void> {
    const { lv, owner } = this;
    const [domains, flags] = await Promise.all([lv.listAllDomains(0), readDomainFlags(lv)]);
    if (!this.current) return;
    // Display events may have been missed while we were away: clients are unknown until seeded.
    owner.display.reset();
    await Promise.all(domains.map((d) => this.refreshDomain(d, flags)));
    if (!this.current) return;
    const listed = new Set(domains.map((d) => d.uuid));
    for (const entry of owner.inventory.present()) {
      if (!listed.has(entry.uuid)) this.reportGone(entry.uuid);
    }
    await Promise.all(
      owner.inventory
        .present()
        .filter((e) => e.stateCode === VM_STATE_RUNNING && e.graphics.length > 0)
        .map((e) => this.seedDisplay(e)),
    );
  }

  private async refreshDomain(
    domain: DomainRef,
    knownFlags: DomainFlags | null | undefined,
  ): Promise<void> {
    const flags = knownFlags === undefined ? await readDomainFlags(this.lv) : knownFlags;
    const reading = await readDomain(this.lv, domain, flags);
    if (!this.current) return;
    if (!reading) {
      this.reportGone(domain.uuid);
      return;
    }
    const display = this.owner.display.state(domain.uuid);
    const entry = { ...reading.entry, lct: display.lct, connectedNow: display.connectedNow };
    const change = this.owner.inventory.put(entry);
    if (change) this.owner.reportInventory(change, entry);
    if (this.balloon.claim(entry)) await this.setBalloonPeriod(domain, entry);
  }

  private reportGone(uuid: string): void {
    this.balloon.forget(uuid);
    this.owner.domainGone(uuid);
    const entry = this.owner.inventory.markGone(uuid);
    if (entry) this.owner.reportInventory('gone', entry);
  }

  private async setBalloonPeriod(domain: DomainRef, entry: VmInventoryEntry): Promise<void> {
    const periodSec = this.balloon.periodSec;
    try {
      await this.lv.domainSetMemoryStatsPeriod(domain, periodSec, AFFECT_LIVE);
    } catch (error) {
      if (this.current) {
        this.owner.warn(`${domain.name}: cannot set the memory stats period: ${errorLine(error)}`);
      }
      return;
    }
    if (!this.current || !entry.balloon) return;
    const { inventory } = this.owner;
    const change = inventory.put({
      ...entry,
      balloon: { ...entry.balloon, statsPeriodSec: periodSec },
    });
    const updated = inventory.get(domain.uuid);
    if (change && updated) this.owner.reportInventory(change, updated);
  }

  private onLifecycle(event: LifecycleEvent): void {
    if (!this.current) return;
    const { uuid } = event.domain;
    this.owner.reportVmEvent(
      event.domain,
      { kind: 'lifecycle', event: event.event, detail: event.detail },
      Date.now(),
    );
    if (event.event === 'started' || event.event === 'stopped' || event.event === 'crashed') {
      this.balloon.forget(uuid);
      // A QEMU that ended took its display clients with it, without disconnect events.
      const { display } = this.owner;
      const { lct } = display.state(uuid);
      display.forget(uuid);
      if (lct !== null) display.restore(uuid, lct);
    }
    this.requestRefresh(event.domain);
  }

  private onGraphics(event: GraphicsEvent): void {
    if (!this.current) return;
    const { uuid } = event.domain;
    const now = Date.now();
    const { display, inventory } = this.owner;
    display.onGraphicsEvent(uuid, event, now);
    const state = display.state(uuid);
    this.owner.reportVmEvent(
      event.domain,
      {
        kind: 'display',
        phase: event.phase,
        address: event.remote.node,
        service: event.remote.service,
        lct: state.lct,
        connectedNow: state.connectedNow,
      },
      now,
    );
    const entry = inventory.setDisplay(uuid, state.lct, state.connectedNow);
    if (entry) this.owner.reportInventory('updated', entry);
  }

  /** Display clients already connected when we attached: QEMU knows them, events never will. */
  private async seedDisplay(entry: VmInventoryEntry): Promise<void> {
    let clients;
    try {
      clients = await queryDisplayClients(this.lv, entry);
    } catch (error) {
      if (this.current) this.owner.warn(errorLine(error));
      return;
    }
    if (!clients || !this.current) return;
    const { display, inventory } = this.owner;
    display.seedFromMonitor(entry.uuid, clients, Date.now());
    const state = display.state(entry.uuid);
    const changed = inventory.setDisplay(entry.uuid, state.lct, state.connectedNow);
    if (changed) this.owner.reportInventory('updated', changed);
  }
}
