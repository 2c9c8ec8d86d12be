import type { EngineEvent } from '../shared/model/engine-events';
import type { CollectSink } from '../store/collect-sink';
import { storeEventsOf } from '../store/from-engine';

/**
 * The engine → history wiring of every host of SETMOV (`collect --db`, the app, serve):
 * each event's store records are queued, and a poll's end commits them, so the
 * history holds whole polls and a crash loses at most the one in progress.
 */
export function recordEngineEvent(sink: CollectSink, event: EngineEvent, byTarget = false): void {
  for (const stored of storeEventsOf(event, byTarget)) sink.write(stored);
  if (event.type === 'poll-complete') sink.flush();
}
