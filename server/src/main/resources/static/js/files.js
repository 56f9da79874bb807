// Files over a link (docs/p2p.md, "Files"), both ways. Ours: one at a time per peer, whatever
// their kind (a one-to-one file of the outbox, or a file a group member asked us for, see
// groupfiles.js: the kinds take turns), the message that announces it, then the bytes in 16 KiB
// binary chunks, each led by the transfer's id, written no faster than the channel drains.
// Theirs: chunks counted as they come against the size announced, and a whole file kept only if
// its SHA-256 matches. A link that closes mid-file loses it; the sender's outbox (chat.js) sends
// it again, from the start, on the next link. The Java client's FileSender and FileReceiver follow
// the same rules.

import { bytesToUuid, isUuid, nameKey, toHex, uuidToBytes } from './bytes.js';

export const MAX_FILE_BYTES = 256 * 1024 * 1024;
const CHUNK_BYTES = 16 * 1024;
const MAX_CHUNK_BYTES = 65536;
const HIGH_WATER = 1024 * 1024;

/** The fields of {@code file} that its offer carries: base name, size, SHA-256 and type. */
export async function fileInfo(file) {
  return { name: baseName(file.name) || 'file', size: file.size, sha256: await sha256(file), mime: file.type.length <= 255 ? file.type : '' };
}

/**
 * Sends files to peers, one at a time per peer, so that the chunks of two files never interleave
 * in one direction. What there is to send comes from sources, which take turns: a source is
 * {@code {next(peerName)}}, giving its next transfer to that peer or nothing. A transfer is
 * {@code {id, name, size, blob, header, started(), progress(bytes), live(), failed(error)}}:
 * {@code header} the control message that announces the chunks led by {@code id}; {@code live()}
 * false once it is to stop (the file was refused meanwhile); {@code failed} is told when it could
 * not be sent to the end (the link closed, or the file could not be read).
 */
export class FileSender {
  #sources = [];
  #sending = new Set(); // peer keys a file goes to now
  #last = new Map(); // peer key -> the index of the source whose file went to them last

  constructor(links) {
    this.links = links;
  }

  add(source) {
    this.#sources.push(source);
  }

  /** Sends the next file to {@code peerName} unless one goes to them now; then the next, while a link is open. */
  send(peerName) {
    const peer = nameKey(peerName);
    if (this.#sending.has(peer) || !this.links.isOpen(peerName)) return;
    const transfer = this.#next(peer, peerName);
    if (!transfer) return;
    this.#sending.add(peer);
    this.#transmit(peerName, transfer)
      .catch((e) => {
        console.warn(`sending ${transfer.name} to ${peerName} stopped: ${e.message}`);
        transfer.failed(e);
      })
      .finally(() => {
        this.#sending.delete(peer);
        this.send(peerName);
      });
  }

  /** The next transfer to {@code peer}, from the source after the one that sent last. */
  #next(peer, peerName) {
    const count = this.#sources.length;
    const first = ((this.#last.get(peer) ?? -1) + 1) % count;
    for (let i = 0; i < count; i++) {
      const index = (first + i) % count;
      const transfer = this.#sources[index].next(peerName);
      if (transfer) {
        this.#last.set(peer, index);
        return transfer;
      }
    }
    return undefined;
  }

  async #transmit(peerName, transfer) {
    const link = this.links.get(peerName);
    const { id, size, blob } = transfer;
    link.send(JSON.stringify(transfer.header));
    transfer.started();
    const prefix = uuidToBytes(id);
    for (let offset = 0; offset < size; offset += CHUNK_BYTES) {
      await drained(link);
      if (!transfer.live()) return;
      const data = new Uint8Array(await blob.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
      const chunk = new Uint8Array(16 + data.length);
      chunk.set(prefix);
      chunk.set(data, 16);
      link.send(chunk);
      transfer.progress(Math.min(size, offset + data.length));
    }
  }
}

/**
 * The one-to-one files of the outbox, oldest first, as a source of the FileSender. {@code chat}
 * gives {@code outbox(peer)}, the messages waiting for an acknowledgement; {@code save(m)}, after a
 * message's state changed; and {@code progress(peer, id, bytes, size)}.
 */
export function outboxFiles(chat) {
  return {
    next(peerName) {
      const m = chat.outbox(peerName).find((x) => x.kind === 'file' && x.state === 'queued');
      if (!m) return undefined;
      const { name, size, sha256, mime } = m.file;
      return {
        id: m.id,
        name,
        size,
        blob: m.blob,
        header: { type: 'file', id: m.id, ts: m.ts, name, size, sha256, mime },
        started() {
          m.state = 'sent';
          m.progress = 0;
          chat.save(m);
        },
        progress(bytes) {
          m.progress = bytes;
          chat.progress(nameKey(peerName), m.id, bytes, size);
        },
        live: () => m.state === 'sent', // not refused meanwhile
        failed() {}, // sent again, from the start, on the next link
      };
    },
  };
}

export class FileReceiver {
  #incoming = new Map(); // `${peer}|${id}` -> file being received

  /**
   * {@code chat} gives what the one-to-one offers need: {@code has(peer, id)}, whether it has file
   * {@code id} from {@code peer} already; {@code received(peerName, fields)}, which stores a whole
   * file; {@code send(peerName, message)}, a control message (ack or nack); and
   * {@code progress(peer, id, bytes, size)}.
   */
  constructor(chat) {
    this.chat = chat;
  }

  /**
   * Takes the chunks led by {@code id} from {@code peerName}. {@code file} is {@code {size, sha256,
   * mime, progress(bytes), done(blob), damaged(why)}}: done once {@code size} bytes came whose
   * SHA-256 is {@code sha256}, damaged if they are more or another. False if a file of that id is
   * on its way from them already.
   */
  expect(peerName, id, file) {
    const key = `${nameKey(peerName)}|${id.toLowerCase()}`;
    if (this.#incoming.has(key)) return false;
    const transfer = { ...file, key, chunks: [], bytes: 0 };
    this.#incoming.set(key, transfer);
    if (file.size === 0) this.#complete(transfer);
    return true;
  }

  /** Ignores the chunks of {@code id} from {@code peerName} from now on. */
  cancel(peerName, id) {
    this.#incoming.delete(`${nameKey(peerName)}|${id.toLowerCase()}`);
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
    this.chat.progress(peer, id, 0, size);
    this.cancel(peerName, id); // offered again: from the start
    this.expect(peerName, id, {
      ...file,
      progress: (bytes) => this.chat.progress(peer, id, bytes, size),
      damaged: (why) => this.chat.send(peerName, { type: 'nack', id, reason: 'hash_mismatch', message: why }),
      done: async (blob) => {
        if (!this.chat.has(peer, id.toLowerCase())) {
          await this.chat.received(peerName, { id: id.toLowerCase(), kind: 'file', file, blob, ts });
        }
        this.chat.send(peerName, { type: 'ack', id });
      },
    });
  }

  /** A binary message from {@code peerName}: a chunk of a file it announced. */
  chunk(peerName, data) {
    if (data.byteLength <= 16 || data.byteLength > 16 + MAX_CHUNK_BYTES) return;
    const id = bytesToUuid(new Uint8Array(data, 0, 16));
    const transfer = this.#incoming.get(`${nameKey(peerName)}|${id}`);
    if (!transfer) return; // a file we were not told about, or refused
    transfer.chunks.push(data.slice(16));
    transfer.bytes += data.byteLength - 16;
    if (transfer.bytes > transfer.size) {
      this.#incoming.delete(transfer.key);
      transfer.damaged('more bytes than announced');
      return;
    }
    transfer.progress(transfer.bytes);
    if (transfer.bytes === transfer.size) this.#complete(transfer);
  }

  /** The link to {@code peer} closed: the files on their way from them are lost. */
  linkClosed(peer) {
    for (const key of [...this.#incoming.keys()]) if (key.startsWith(`${peer}|`)) this.#incoming.delete(key);
  }

  async #complete(transfer) {
    this.#incoming.delete(transfer.key);
    const blob = new Blob(transfer.chunks, { type: transfer.mime || 'application/octet-stream' });
    if ((await sha256(blob)) !== transfer.sha256) {
      transfer.damaged('the SHA-256 of the bytes received does not match');
      return;
    }
    await transfer.done(blob);
  }
}

async function sha256(blob) {
  return toHex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
}

/** A file's base name: no directories, no control characters, at most 255 characters. */
function baseName(name) {
  return name.split(/[\\/]/).pop().replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 255);
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
