// Files over a link (docs/p2p.md, "Files"), both ways. Ours: one at a time per peer, the offer,
// then the bytes in 16 KiB binary chunks, each led by the file's id, written no faster than the
// channel drains. Theirs: the offer checked, taken or refused, the chunks counted as they come,
// and a whole file kept only if its SHA-256 matches. A link that closes mid-file loses it; the
// sender's outbox (chat.js) sends it again, from the start, on the next link. The Java client's
// FileSender and FileReceiver follow the same rules.

import { bytesToUuid, isUuid, nameKey, toHex, uuidToBytes } from './bytes.js';

export const MAX_FILE_BYTES = 256 * 1024 * 1024;
const CHUNK_BYTES = 16 * 1024;
const MAX_CHUNK_BYTES = 65536;
const HIGH_WATER = 1024 * 1024;

/** The fields of {@code file} that its offer carries: base name, size, SHA-256 and type. */
export async function fileInfo(file) {
  return { name: baseName(file.name), size: file.size, sha256: await sha256(file), mime: file.type || '' };
}

export class FileSender {
  #sending = new Map(); // peer key -> promise of the file being sent

  /**
   * {@code chat} gives what the sender needs of the chat: {@code outbox(peer)}, the messages
   * waiting for an acknowledgement; {@code save(m)}, after a message's state changed; and
   * {@code progress(peer, id, bytes, size)}.
   */
  constructor(links, chat) {
    this.links = links;
    this.chat = chat;
  }

  /** Sends the queued files to {@code peerName}, one at a time, while a link is open. */
  send(peerName) {
    const peer = nameKey(peerName);
    if (this.#sending.has(peer)) return;
    const next = this.chat.outbox(peer).find((m) => m.kind === 'file' && m.state === 'queued');
    if (!next || !this.links.isOpen(peerName)) return;
    const sending = this.#sendFile(peerName, next)
      .catch((e) => console.warn(`sending ${next.file.name} to ${peerName} stopped: ${e.message}`))
      .finally(() => {
        this.#sending.delete(peer);
        if (this.links.isOpen(peerName)) this.send(peerName);
      });
    this.#sending.set(peer, sending);
  }

  async #sendFile(peerName, m) {
    const link = this.links.get(peerName);
    const { name, size, sha256, mime } = m.file;
    link.send(JSON.stringify({ type: 'file', id: m.id, ts: m.ts, name, size, sha256, mime }));
    m.state = 'sent';
    m.progress = 0;
    this.chat.save(m);
    const prefix = uuidToBytes(m.id);
    for (let offset = 0; offset < size; offset += CHUNK_BYTES) {
      await drained(link);
      if (m.state !== 'sent') return; // refused meanwhile
      const data = new Uint8Array(await m.blob.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
      const chunk = new Uint8Array(16 + data.length);
      chunk.set(prefix);
      chunk.set(data, 16);
      link.send(chunk);
      m.progress = Math.min(size, offset + data.length);
      this.chat.progress(nameKey(peerName), m.id, m.progress, size);
    }
  }
}

export class FileReceiver {
  #incoming = new Map(); // `${peer}|${id}` -> file being received

  /**
   * {@code chat} gives what the receiver needs of the chat: {@code has(peer, id)}, whether it has
   * file {@code id} from {@code peer} already; {@code received(peerName, fields)}, which stores a
   * whole file; {@code send(peerName, message)}, a control message (ack or nack); and
   * {@code progress(peer, id, bytes, size)}.
   */
  constructor(chat) {
    this.chat = chat;
  }

  /** A {@code file} message from {@code peerName}; {@code ts} is when the sender says it sent it. */
  offer(peerName, offer, ts) {
    const { id, size, sha256 } = offer;
    if (!isUuid(id) || !Number.isSafeInteger(size) || size < 0) return;
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return;
    const peer = nameKey(peerName);
    if (this.chat.has(peer, id.toLowerCase())) {
      // We have it already: acknowledge again; its chunks are discarded (no transfer is open).
      this.chat.send(peerName, { type: 'ack', id });
      return;
    }
    if (size > MAX_FILE_BYTES) {
      this.chat.send(peerName, {
        type: 'nack',
        id,
        reason: 'too_large',
        message: `files up to ${MAX_FILE_BYTES / 1024 / 1024} MiB`,
      });
      return;
    }
    const file = {
      name: baseName(typeof offer.name === 'string' ? offer.name : '') || 'file',
      size,
      sha256,
      mime: typeof offer.mime === 'string' && offer.mime.length < 256 ? offer.mime : '',
    };
    const transfer = { id, file, ts, chunks: [], bytes: 0 };
    this.#incoming.set(`${peer}|${id.toLowerCase()}`, transfer);
    this.chat.progress(peer, id, 0, size);
    if (size === 0) this.#complete(peerName, transfer);
  }

  /** A binary message from {@code peerName}: a chunk of a file it offered. */
  chunk(peerName, data) {
    if (data.byteLength <= 16 || data.byteLength > 16 + MAX_CHUNK_BYTES) return;
    const peer = nameKey(peerName);
    const id = bytesToUuid(new Uint8Array(data, 0, 16));
    const transfer = this.#incoming.get(`${peer}|${id}`);
    if (!transfer) return; // a file we were not told about, or refused
    transfer.chunks.push(data.slice(16));
    transfer.bytes += data.byteLength - 16;
    if (transfer.bytes > transfer.file.size) {
      this.#incoming.delete(`${peer}|${id}`);
      this.chat.send(peerName, {
        type: 'nack',
        id: transfer.id,
        reason: 'hash_mismatch',
        message: 'more bytes than announced',
      });
      return;
    }
    this.chat.progress(peer, transfer.id, transfer.bytes, transfer.file.size);
    if (transfer.bytes === transfer.file.size) this.#complete(peerName, transfer);
  }

  /** The link to {@code peer} closed: the files on their way from them are lost. */
  linkClosed(peer) {
    for (const key of [...this.#incoming.keys()]) if (key.startsWith(`${peer}|`)) this.#incoming.delete(key);
  }

  async #complete(peerName, transfer) {
    const peer = nameKey(peerName);
    const id = transfer.id.toLowerCase();
    this.#incoming.delete(`${peer}|${id}`);
    const blob = new Blob(transfer.chunks, { type: transfer.file.mime || 'application/octet-stream' });
    if ((await sha256(blob)) !== transfer.file.sha256) {
      this.chat.send(peerName, {
        type: 'nack',
        id: transfer.id,
        reason: 'hash_mismatch',
        message: 'the SHA-256 of the bytes received does not match',
      });
      return;
    }
    if (!this.chat.has(peer, id)) {
      await this.chat.received(peerName, { id, kind: 'file', file: transfer.file, blob, ts: transfer.ts });
    }
    this.chat.send(peerName, { type: 'ack', id: transfer.id });
  }
}

async function sha256(blob) {
  return toHex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
}

/** A file's base name: no directories, no control characters, at most 255 characters. */
function baseName(name) {
  return name.split(/[\\/]/).pop().replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255);
}

/** Resolves once the channel has room (bufferedAmount at most 1 MiB); rejects if it closes. */
function drained(link) {
  const channel = link.channel;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!link.isOpen()) {
        cleanup();
        reject(new Error('the link closed'));
      } else if (channel.bufferedAmount <= HIGH_WATER) {
        cleanup();
        resolve();
      }
    };
    const cleanup = () => {
      channel.removeEventListener('bufferedamountlow', check);
      channel.removeEventListener('close', check);
    };
    channel.addEventListener('bufferedamountlow', check);
    channel.addEventListener('close', check);
    check();
  });
}
