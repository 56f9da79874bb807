-- A node stops: the names it still holds are announced left and it leaves the deployment.
-- ARGV: prefix, node.
local node = ARGV[2]
drop_names(node, {})
drop_peerjs(node)
redis.call('DEL', p .. 'alive:' .. node)
redis.call('ZREM', p .. 'nodes', node)
return 0
