-- A node says it lives, and takes offline every node whose heartbeat expired.
-- ARGV: prefix, node, time to live in ms, now in ms.
-- Returns {1, nodes alive...}, or {0} if the deployment does not know this node (Redis lost its
-- data, or the node was taken offline while it could not reach Redis): it must register again.
local node, ttl, now = ARGV[2], ARGV[3], ARGV[4]
if not redis.call('ZSCORE', p .. 'nodes', node) then
  return {0}
end
redis.call('SET', p .. 'alive:' .. node, now, 'PX', ttl)
redis.call('ZADD', p .. 'nodes', now, node)
local alive = {1}
for _, other in ipairs(redis.call('ZRANGE', p .. 'nodes', 0, -1)) do
  if redis.call('EXISTS', p .. 'alive:' .. other) == 1 then
    table.insert(alive, other)
  else
    drop_names(other, {})
    drop_peerjs(other)
    redis.call('ZREM', p .. 'nodes', other)
  end
end
return alive
