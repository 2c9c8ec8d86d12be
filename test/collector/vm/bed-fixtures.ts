import { readFileSync } from 'node:fs';
import type { DomainStatsRecord } from '../../../src/collector/libvirt/domain-stats';
import type { TypedParamValue } from '../../../src/collector/libvirt/remote-types';
import { TypedParams } from '../../../src/collector/libvirt/typed-params';

/** test/fixtures/libvirt/bed: recorded from the bed's libvirtd (see capture.ts there). */
export const BED_FIXTURES = new URL('../../fixtures/libvirt/bed/', import.meta.url);

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, BED_FIXTURES), 'utf8');
}

interface CliStatsEntry {
  name: string;
  uuid: string;
  id: number;
  stats: Record<string, TypedParamValue>;
}

/** A `setmov libvirt stats --json` capture, back as records (64-bit counters as numbers). */
export function statsFixture(name: string): DomainStatsRecord[] {
  const entries = JSON.parse(fixtureText(name)) as CliStatsEntry[];
  return entries.map((e) => ({
    domain: { name: e.name, uuid: e.uuid, id: e.id },
    params: TypedParams.fromObject(e.stats),
  }));
}

export function recordOf(records: DomainStatsRecord[], domain: string): DomainStatsRecord {
  const record = records.find((r) => r.domain.name === domain);
  if (!record) throw new Error(`no ${domain} in the fixture`);
  return record;
}

/** Monotonic ms of stats-1.json and stats-2.json, and the bed host's CPU count. */
export const statsTiming = JSON.parse(fixtureText('stats-timing.json')) as {
  readingsMs: [number, number];
  hostCpus: number;
};
