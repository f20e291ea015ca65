/**
 * Generated events as plain objects: the slow path for tests, tools and the DuckDB loader. The
 * hot paths read the columns directly.
 */
import type { NexmarkBatch } from './columns.ts';
import type { NexmarkDictionaries } from './dictionaries.ts';

export interface PersonRow {
  id: number;
  name: string;
  emailAddress: string;
  creditCard: string;
  city: string;
  state: string;
  /** ms since the epoch */
  dateTime: number;
  extra: string;
}

export interface AuctionRow {
  id: number;
  itemName: string;
  description: string;
  initialBid: number;
  reserve: number;
  dateTime: number;
  expires: number;
  seller: number;
  category: number;
  extra: string;
}

export interface BidRow {
  auction: number;
  bidder: number;
  price: number;
  channel: string;
  url: string;
  dateTime: number;
  extra: string;
}

function latin1(bytes: Uint8Array, start: number, length: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, length).toString('latin1');
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

export function personRow(batch: NexmarkBatch, d: NexmarkDictionaries, i: number): PersonRow {
  const p = batch.persons;
  const cc = p.creditCard;
  return {
    id: p.id[i],
    name: d.names.strings[p.name[i]],
    emailAddress: latin1(batch.arena.bytes, p.emailStart[i], p.emailLength[i]),
    creditCard: `${pad4(cc[i * 4])} ${pad4(cc[i * 4 + 1])} ${pad4(cc[i * 4 + 2])} ${pad4(cc[i * 4 + 3])}`,
    city: d.cities.strings[p.city[i]],
    state: d.states.strings[p.state[i]],
    dateTime: p.dateTime[i],
    extra: latin1(d.extraPool, p.extraStart[i], p.extraLength[i]),
  };
}

export function auctionRow(batch: NexmarkBatch, d: NexmarkDictionaries, i: number): AuctionRow {
  const a = batch.auctions;
  return {
    id: a.id[i],
    itemName: latin1(batch.arena.bytes, a.itemNameStart[i], a.itemNameLength[i]),
    description: latin1(batch.arena.bytes, a.descriptionStart[i], a.descriptionLength[i]),
    initialBid: a.initialBid[i],
    reserve: a.reserve[i],
    dateTime: a.dateTime[i],
    expires: a.expires[i],
    seller: a.seller[i],
    category: a.category[i],
    extra: latin1(d.extraPool, a.extraStart[i], a.extraLength[i]),
  };
}

export function bidRow(batch: NexmarkBatch, d: NexmarkDictionaries, i: number): BidRow {
  const b = batch.bids;
  return {
    auction: b.auction[i],
    bidder: b.bidder[i],
    price: b.price[i],
    channel: d.channels.strings[b.channel[i]],
    url: d.urls.strings[b.channel[i]],
    dateTime: b.dateTime[i],
    extra: latin1(d.extraPool, b.extraStart[i], b.extraLength[i]),
  };
}
