-- A member logged in on a node: it holds the name now, deployment-wide.
-- ARGV: prefix, node, session, name key, name, public key. Returns the event's number.
-- A session of the name on another node is told it was replaced (before the join is announced, so
-- that node hears of both in that order); one on this node the node replaced itself.
local node, session, namekey, name, key = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local current = redis.call('HGET', p .. 'online', namekey)
if current then
  local holder, held = parse(current)
  if holder ~= node then
    redis.call('SREM', p .. 'users:' .. holder, namekey)
    redis.call('PUBLISH', p .. 'node:' .. holder, 'R\n' .. name .. '\n' .. held)
  end
end
redis.call('HSET', p .. 'online', namekey, node .. '\n' .. session .. '\n' .. name .. '\n' .. key)
redis.call('SADD', p .. 'users:' .. node, namekey)
return announce_join(node, name, key)
