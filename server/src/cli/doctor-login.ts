import { OdooError } from "../odoo/odoo-error.js";
import type { OdooRpc, RpcUser } from "../odoo/odoo-rpc.js";
import type { Finding } from "./doctor-findings.js";
import type { DoctorTarget } from "./doctor-targets.js";

/** Logs the given Odoo user in (a login and password or API key, or a uid and API key). */
export async function logIn(
  rpc: OdooRpc,
  target: DoctorTarget,
): Promise<{ finding: Finding; user?: RpcUser }> {
  const check = "rpc-login";
  const given = target.rpc;
  if (given === undefined)
    return {
      finding: {
        check,
        status: "skip",
        message:
          "no Odoo user given (--rpc-login/--rpc-password or --rpc-uid/--rpc-key): the subscriber, its rules and Odoo's connection to the hub are not checked",
      },
    };
  const db = target.odoo.db;
  if (db === undefined)
    return {
      finding: {
        check,
        status: "fail",
        message: "JSON-RPC needs the database's name: --db / ODOO_DB",
      },
    };
  try {
    if ("login" in given) {
      const uid = await rpc.call("common", "login", [db, given.login, given.password]);
      if (typeof uid !== "number")
        return {
          finding: {
            check,
            status: "fail",
            message: `Odoo refused the login "${given.login}" and its password or API key`,
          },
        };
      const user = { db, uid, key: given.password };
      return {
        finding: {
          check,
          status: "ok",
          message: `logged in to Odoo as "${given.login}" (uid ${uid})`,
        },
        user,
      };
    }
    const user = { db, uid: given.uid, key: given.key };
    const [me] = (await rpc.executeKw(user, "res.users", "read", [[given.uid]], {
      fields: ["login"],
    })) as {
      login: string;
    }[];
    return {
      finding: {
        check,
        status: "ok",
        message: `logged in to Odoo as "${me?.login}" (uid ${given.uid})`,
      },
      user,
    };
  } catch (error) {
    const denied = error instanceof OdooError && error.kind === "auth";
    const message = denied
      ? `Odoo refused user ${"uid" in given ? given.uid : given.login}'s credentials: ${error.message}`
      : `cannot log in to Odoo: ${(error as Error).message}`;
    return { finding: { check, status: "fail", message } };
  }
}
