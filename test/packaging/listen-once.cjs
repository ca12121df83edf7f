// Shared by consumer.cjs and consumer.mjs: connects with the client the package gave them,
// prints "ready", then the first event, and closes (the process then exits by itself).
exports.listenOnce = (connect, deviceId) => {
  const client = connect({
    url: process.env.HUB_URL,
    token: process.env.HUB_TOKEN,
    deviceId,
    models: ["sale.order"],
    reconnect: false,
  });
  client.on("ready", () => console.log("ready"));
  client.on("event", (event) => {
    console.log(`event ${event.model} ${event.recordId}`);
    void client.close();
  });
  client.on("error", (error) => console.error(`error ${error.code}: ${error.message}`));
};
