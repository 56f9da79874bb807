-- A member left its node. ARGV: prefix, node, session, name key, name.
-- Announced only if that session still holds the name (else a newer login took it: no leave).
-- Returns the event's number, or 0 if nothing was announced.
local node, session, namekey, name = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local current = redis.call('HGET', p .. 'online', namekey)
if not current then
  return 0
end
local holder, held = parse(current)
if holder ~= node or held ~= session then
  return 0
end
redis.call('HDEL', p .. 'online', namekey)
redis.call('SREM', p .. 'users:' .. node, namekey)
return announce_leave(node, name)
