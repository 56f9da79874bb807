// What ICE did on a link (docs/p2p.md, "How a link goes" and "When no path is found"): the path an
// open link takes, read from WebRTC's stats, and the sentence that explains a link that found none.
// Pure functions, so the end-to-end tests can feed them reports; the Java client has the same rules
// (LinkPath, SelectedPair, IceReport) and the same sentences.

/** The kinds of path, in a few words for people, from the most direct. */
export const PATH_WORDS = { direct: 'direct', nat: 'direct through NAT', relayed: 'relayed' };

/** ICE tried every candidate pair and none worked; the message is one sentence for people. */
export class NoPathError extends Error {
  /** @param reason no_relay, relay_refused, relay_unreachable or relay_failed */
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

/** A candidate's type, from the {@code typ} field of its line: host, srflx, prflx or relay. */
export function candidateType(line) {
  const fields = String(line).trim().split(/\s+/);
  const at = fields.indexOf('typ');
  const type = at >= 0 ? fields[at + 1] : undefined;
  return ['host', 'srflx', 'prflx', 'relay'].includes(type) ? type : 'host';
}

/** Whether the ICE servers the server handed out include a relay (a TURN URL). */
export function relayOffered(iceServers) {
  return (iceServers || [])
    .flatMap((server) => [server.urls].flat())
    .some((url) => typeof url === 'string' && (url.startsWith('turn:') || url.startsWith('turns:')));
}

/** The kind of path a pair of candidate types makes: relayed, direct (two hosts) or nat. */
export function pathKind(localType, remoteType) {
  if (localType === 'relay' || remoteType === 'relay') return 'relayed';
  if (localType === 'host' && remoteType === 'host') return 'direct';
  return 'nat';
}

/** One end of a pair, such as {@code srflx 203.0.113.7:5000 udp} ("?" for a hidden address). */
export function describeCandidate({ type, address, port, protocol, relayProtocol }) {
  const host = address ? (address.includes(':') ? `[${address}]` : address) : '?';
  const over = relayProtocol ? ` (relay over ${relayProtocol})` : '';
  return `${type} ${host}:${port} ${protocol.toLowerCase()}${over}`;
}

/**
 * The path an open link takes, from its RTCStatsReport: the transport names the selected candidate
 * pair, the pair names its two candidates. Null if the report does not say.
 * Returns {kind, words, local, remote, text}, text being for example
 * {@code direct through NAT: srflx 203.0.113.7:5000 udp ⇄ prflx ?:6000 udp}.
 */
export function selectedPath(report) {
  const stats = new Map();
  report.forEach((value, key) => stats.set(key, value));
  let pair;
  for (const s of stats.values()) {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
    if (pair) break;
  }
  // Browsers without selectedCandidatePairId mark the pair itself.
  pair ??= [...stats.values()].find((s) => s.type === 'candidate-pair' && s.selected);
  if (!pair || pair.type !== 'candidate-pair') return null;
  const local = candidate(stats.get(pair.localCandidateId));
  const remote = candidate(stats.get(pair.remoteCandidateId));
  if (!local || !remote) return null;
  const kind = pathKind(local.type, remote.type);
  const words = PATH_WORDS[kind];
  return { kind, words, local, remote, text: `${words}: ${describeCandidate(local)} \u21c4 ${describeCandidate(remote)}` };
}

function candidate(s) {
  if (!s || typeof s.candidateType !== 'string' || typeof s.port !== 'number') return null;
  return {
    type: s.candidateType,
    address: s.address || s.ip || null,
    port: s.port,
    protocol: s.protocol || 'udp',
    relayProtocol: s.relayProtocol || null,
  };
}

/**
 * Why no candidate pair to {@code peer} worked, from what our own ICE agent saw: whether the server
 * offered a relay, the types of the candidates we gathered, and the errors STUN and TURN servers
 * answered ({url, code, text}; 401 is a relay refusing our credentials, 701 a server that did not
 * answer). Returns a NoPathError whose message is the sentence a person reads.
 */
export function explainNoPath(peer, { relayOffered: relay, local, errors }) {
  const noDirect = `No direct connection to ${peer} was possible from these two networks`;
  if (!relay) {
    return new NoPathError('no_relay', `${noDirect}, and this server offers no relay (TURN) to carry one.`);
  }
  if (new Set(local).has('relay')) {
    return new NoPathError('relay_failed', `${noDirect}, and not even the relay got through.`);
  }
  const refusal = (errors || []).find(
    (e) => /^turns?:/.test(e.url || '') && e.code >= 400 && e.code < 600,
  );
  if (refusal) {
    const who = refusal.code === 401 ? 'our credentials' : 'us';
    const text = refusal.text && refusal.text.trim() ? ` ${refusal.text}` : '';
    return new NoPathError(
      'relay_refused',
      `${noDirect}, and the relay refused ${who} (${refusal.url} answered ${refusal.code}${text}).`,
    );
  }
  return new NoPathError('relay_unreachable', `${noDirect}, and the relay did not answer.`);
}

/** A candidate line's type, address and port, or null if it has none. */
function seen(line) {
  const fields = line.trim().split(/\s+/);
  const port = Number(fields[5]);
  return fields.length >= 8 && Number.isInteger(port) ? { type: candidateType(line), address: fields[4], port } : null;
}

/**
 * {@code end} named for the signaled candidate it turns out to be, if it is peer-reflexive: ICE
 * learns a candidate from a check that comes before its signal, and the stats then say prflx with no
 * address, even on one LAN. A candidate of that side with the same port is the one: a
 * server-reflexive one if there is such (behind a port-preserving NAT the host one has the same
 * port), else a host one (the Java client has the same rule).
 */
export function refineEnd(end, candidates) {
  if (end.type !== 'prflx') return end;
  const match =
    candidates.find((c) => c.port === end.port && c.type === 'srflx') ||
    candidates.find((c) => c.port === end.port && c.type === 'host');
  return match ? { ...end, type: match.type, address: match.address } : end;
}

/** A path from {@link selectedPath} with its peer-reflexive ends named (see refineEnd). */
export function refinePath(path, local, remote) {
  if (!path) return path;
  const l = refineEnd(path.local, local);
  const r = refineEnd(path.remote, remote);
  const kind = pathKind(l.type, r.type);
  const words = PATH_WORDS[kind];
  return { kind, words, local: l, remote: r, text: `${words}: ${describeCandidate(l)} \u21c4 ${describeCandidate(r)}` };
}

/** What one link's ICE agent found, kept to explain a failure and to name its path. */
export class IceReport {
  constructor(iceServers) {
    this.relayOffered = relayOffered(iceServers);
    this.local = new Set(); // candidate types we gathered
    this.remote = new Set(); // candidate types the peer sent
    this.localSeen = []; // {type, address, port} of ours
    this.remoteSeen = []; // and of the peer's
    this.errors = []; // {url, code, text}
  }

  addLocal(line) {
    this.local.add(candidateType(line));
    const c = seen(line);
    if (c && this.localSeen.length < 64) this.localSeen.push(c);
  }

  addRemote(line) {
    if (!line || !line.trim()) return;
    this.remote.add(candidateType(line));
    const c = seen(line);
    if (c && this.remoteSeen.length < 64) this.remoteSeen.push(c);
  }

  /** The path of a stats report, its peer-reflexive ends named. */
  path(report) {
    return refinePath(selectedPath(report), this.localSeen, this.remoteSeen);
  }

  /** An icecandidateerror event. */
  addError(event) {
    if (this.errors.length < 32) {
      this.errors.push({ url: event.url || '', code: event.errorCode, text: event.errorText || '' });
    }
  }

  explain(peer) {
    return explainNoPath(peer, this);
  }
}
