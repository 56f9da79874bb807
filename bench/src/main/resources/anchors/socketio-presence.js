// The original design's presence server, as the course project wrote it on Socket.IO: on
// "username" save the name and tell everyone "joinServer"; on disconnect tell everyone
// "leaveServer". Names are kept in memory here (the original wrote them to a database).
const http = require("http");
const { Server } = require("socket.io");

const port = Number(process.argv[2]);
const httpServer = http.createServer();
const io = new Server(httpServer, { serveClient: false });
const names = new Map();

io.on("connection", socket => {
  socket.on("username", name => {
    names.set(socket.id, name);
    io.emit("joinServer", name);
  });
  socket.on("disconnect", () => {
    const name = names.get(socket.id);
    names.delete(socket.id);
    if (name !== undefined) {
      io.emit("leaveServer", name);
    }
  });
});

httpServer.listen(port, "127.0.0.1", () =>
  console.log("socket.io presence server listening on 127.0.0.1:" + port));
