-- A node (re)joins the deployment with the members it has now: at start, and after it could not
-- reach Redis. ARGV: prefix, node, time to live in ms, now in ms, then for each member its name
-- key, name, session and public key.
-- Each member's name is claimed unless a session on another node holds it, which wins (the
-- deployment's view is kept over one a node formed alone); names this node held for members it no
-- longer has are announced left. Returns {last event number, sessions that lost their name,
-- everyone online as name key, value pairs, the nodes, the PeerJS ids as id, value pairs}: the
-- snapshot to which later events apply. (This node's PeerJS ids are claimed again one by one.)
local node, ttl, now = ARGV[2], ARGV[3], ARGV[4]
local mine = {}
local lost = {}
for i = 5, #ARGV, 4 do
  local namekey, name, session, key = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  mine[namekey] = true
  local value = node .. '\n' .. session .. '\n' .. name .. '\n' .. key
  local current = redis.call('HGET', p .. 'online', namekey)
  if current ~= value then
    if not current or parse(current) == node then
      redis.call('HSET', p .. 'online', namekey, value)
      redis.call('SADD', p .. 'users:' .. node, namekey)
      announce_join(node, name, key)
    else
      table.insert(lost, session)
    end
  end
end
drop_names(node, mine)
redis.call('SET', p .. 'alive:' .. node, now, 'PX', ttl)
redis.call('ZADD', p .. 'nodes', now, node)
local last = tonumber(redis.call('GET', p .. 'ev') or '0')
return {last, lost, redis.call('HGETALL', p .. 'online'), redis.call('ZRANGE', p .. 'nodes', 0, -1),
  redis.call('HGETALL', p .. 'peerjs')}
