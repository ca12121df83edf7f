// The client through `import`, as an ES module app has it.
import { connect } from "@odoo-live/client";
import { listenOnce } from "./listen-once.cjs";

listenOnce(connect, "packaged-esm");
