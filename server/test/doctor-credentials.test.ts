import { describe, expect, test } from "vitest";
import { credentialProblem } from "../src/cli/doctor-credentials.js";
import { PushSettings } from "../src/config/tenants.js";

const TOKEN = "hub-push-token-0123456789";
const push = PushSettings.parse({ token: TOKEN });
const subscriber = (fields: Partial<Parameters<typeof credentialProblem>[0]>) => ({
  auth_type: "bearer",
  auth_token: false as string | false,
  api_key: false as string | false,
  api_key_header: "X-API-Key" as string | false,
  ...fields,
});

describe("doctor: does the hub accept what a subscriber sends", () => {
  test("the token as bearer, basic (verbatim or as odoo:<token>) or API key passes", () => {
    const basic = Buffer.from(`odoo:${TOKEN}`).toString("base64");
    for (const sub of [
      subscriber({ auth_token: TOKEN }),
      subscriber({ auth_type: "basic", auth_token: basic }),
      subscriber({ auth_type: "api_key", api_key: TOKEN, api_key_header: false }),
    ])
      expect(credentialProblem(sub, push)).toBeUndefined();
  });

  test("each way it fails is named", () => {
    expect(credentialProblem(subscriber({}), push)).toMatch(
      /has no auth token: Odoo sends "Bearer False"/,
    );
    expect(credentialProblem(subscriber({ auth_token: "other-token" }), push)).toMatch(
      /its bearer token is not the hub's push token/,
    );
    expect(
      credentialProblem(
        subscriber({ auth_type: "api_key", api_key: TOKEN, api_key_header: "X-Key" }),
        push,
      ),
    ).toBe(
      "it sends its API key in the header x-key, the hub reads x-api-key (PUSH_HEADER / push.header)",
    );
    expect(credentialProblem(subscriber({ auth_type: "none" }), push)).toMatch(
      /sends no credentials/,
    );
  });

  test("a hub that allows unauthenticated pushes takes anything", () => {
    const open = PushSettings.parse({ allowUnauthenticated: true });
    expect(credentialProblem(subscriber({ auth_type: "none" }), open)).toBeUndefined();
    expect(credentialProblem(subscriber({}), open)).toBeUndefined();
  });
});
