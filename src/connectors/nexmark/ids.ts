/**
 * Person and auction ids derived from event ids, so that any event can name people and auctions
 * that exist (or are about to) without the generator keeping state.
 *
 * Spec: nexmark/nexmark `generator/model/PersonGenerator.java` (`lastBase0PersonId`,
 * `nextBase0PersonId`) and `AuctionGenerator.java` (`lastBase0AuctionId`, `nextBase0AuctionId`).
 * Ids here are "base 0"; callers add FIRST_PERSON_ID / FIRST_AUCTION_ID.
 */
import type { NexmarkConfig } from './config.ts';
import type { NexmarkRandom } from './random.ts';

/** Yet-to-be-created people and auctions that random picks may name (PERSON_ID_LEAD, AUCTION_ID_LEAD). */
export const PERSON_ID_LEAD = 10;
export const AUCTION_ID_LEAD = 10;
/** Hot sellers, bidders and auctions are the first (bidders: second) of each batch of this many. */
export const HOT_SELLER_BATCH = 100;
export const HOT_BIDDER_BATCH = 100;
export const HOT_AUCTION_BATCH = 100;

type Proportions = Pick<NexmarkConfig, 'personProportion' | 'auctionProportion' | 'bidProportion'>;

function total(c: Proportions): number {
  return c.personProportion + c.auctionProportion + c.bidProportion;
}

/** The last person id generated at or before this event id (the current one for a person event). */
export function lastBase0PersonId(c: Proportions, eventId: number): number {
  const t = total(c);
  const epoch = Math.floor(eventId / t);
  let offset = eventId % t;
  if (offset >= c.personProportion) offset = c.personProportion - 1; // an auction or bid: the epoch's last person
  return epoch * c.personProportion + offset;
}

/** The last auction id generated at or before this event id (the current one for an auction event). */
export function lastBase0AuctionId(c: Proportions, eventId: number): number {
  const t = total(c);
  let epoch = Math.floor(eventId / t);
  let offset = eventId % t;
  if (offset < c.personProportion) {
    // A person: the previous epoch's last auction.
    epoch--;
    offset = c.auctionProportion - 1;
  } else if (offset >= c.personProportion + c.auctionProportion) {
    // A bid: this epoch's last auction.
    offset = c.auctionProportion - 1;
  } else {
    offset -= c.personProportion;
  }
  return epoch * c.auctionProportion + offset;
}

/** A random person among the active ones, plus a few not yet created. */
export function nextBase0PersonId(c: NexmarkConfig, eventId: number, random: NexmarkRandom): number {
  const numPeople = lastBase0PersonId(c, eventId) + 1;
  const activePeople = Math.min(numPeople, c.numActivePeople);
  return numPeople - activePeople + random.nextInt(activePeople + PERSON_ID_LEAD);
}

/** A random auction among those likely still open, plus a few not yet created. */
export function nextBase0AuctionId(c: NexmarkConfig, eventId: number, random: NexmarkRandom): number {
  const maxAuction = lastBase0AuctionId(c, eventId);
  const minAuction = Math.max(maxAuction - c.numInFlightAuctions, 0);
  return minAuction + random.nextInt(maxAuction - minAuction + 1 + AUCTION_ID_LEAD);
}
