/**
 * The baseline: a bare Socket.IO server doing the same visible work as the hub without its
 * guarantees. It verifies the same JWTs, puts each socket in its user's and models' rooms, takes
 * the same push bodies over HTTP, keeps them in an array (its whole "log") and emits each to the
 * same rooms; a reconnecting socket gets what it missed by a scan of that array.
 */
import { createSecretKey } from "node:crypto";
import { createServer } from "node:http";
import jwt from "jsonwebtoken";
import { Server } from "socket.io";
import { JWT_SECRET, serveParent } from "./processes.js";
import { roomsOf, type PushBody } from "./push-bodies.js";
import { readBody } from "./read-body.js";

interface Stored extends PushBody {
  seq: number;
  cursor: string;
}

// As the hub does: a string secret costs jsonwebtoken a failed public-key parse per verify.
const secret = createSecretKey(Buffer.from(JWT_SECRET, "utf8"));
const history: Stored[] = [];
const http = createServer((req, res) => {
  void readBody(req).then((text) => {
    const body = JSON.parse(text) as PushBody;
    const event: Stored = { ...body, seq: history.length + 1, cursor: String(history.length + 1) };
    history.push(event);
    io.to(roomsOf(body)).emit("event", event);
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
});
const io = new Server(http, { serveClient: false });

io.use((socket, next) => {
  try {
    const auth = socket.handshake.auth as { token: string };
    const claims = jwt.verify(auth.token, secret, { algorithms: ["HS256"] }) as { uid: number };
    socket.data = { uid: claims.uid };
    next();
  } catch (error) {
    next(error as Error);
  }
});

io.on("connection", (socket) => {
  const { uid } = socket.data as { uid: number };
  const auth = socket.handshake.auth as { models?: string[]; cursor?: string };
  const models = auth.models ?? [];
  const since = auth.cursor === undefined ? history.length : Number(auth.cursor);
  for (const event of history.slice(since)) {
    if (models.includes(event.model) || roomsOf(event).includes(`u:${uid}`))
      socket.emit("event", event);
  }
  void socket.join([`u:${uid}`, ...models.map((m) => `m:${m}`)]);
  socket.emit("ready", { cursor: String(history.length) });
});

http.listen(0, "127.0.0.1", () => {
  const address = http.address();
  serveParent(() =>
    Promise.resolve(typeof address === "object" && address !== null ? address.port : 0),
  );
});
