/**
 * npm pack of protocol/ and client-lib/ as they would be published, and a scratch project
 * outside the repo that installs the tarballs. Packing runs each package's prepack (clean, tsc,
 * CommonJS build) in a copy of the workspace, because other tests run the repo's own dist/.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PACKAGES = ["protocol", "client-lib"] as const;

/** Runs a command; a failure throws with everything it printed. */
export async function run(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, args, { cwd, maxBuffer: 16 << 20 });
    return stdout;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    const message = `${command} ${args.join(" ")} failed in ${cwd}:\n${stdout}${stderr}`;
    throw new Error(message, { cause: error });
  }
}

export interface Packed {
  tarball: string;
  /** Paths inside the tarball, relative to the package root. */
  files: string[];
}

function copyWorkspace(into: string): void {
  for (const name of PACKAGES) {
    cpSync(join(ROOT, name), join(into, name), {
      recursive: true,
      filter: (path) => !/^(dist|test|node_modules)$/.test(relative(join(ROOT, name), path)),
    });
  }
  cpSync(join(ROOT, "tsconfig.base.json"), join(into, "tsconfig.base.json"));
  cpSync(join(ROOT, "scripts", "build-cjs.mjs"), join(into, "scripts", "build-cjs.mjs"));
  const manifest = { name: "packing", private: true, type: "module", workspaces: PACKAGES };
  writeFileSync(join(into, "package.json"), JSON.stringify(manifest));
  symlinkSync(join(ROOT, "node_modules"), join(into, "node_modules"), "dir");
}

/** The protocol packed from the workspace root (`-w`), the client from its own folder. */
export async function packPackages(into: string): Promise<Record<"protocol" | "client", Packed>> {
  const workspace = join(into, "workspace");
  copyWorkspace(workspace);
  const pack = async (cwd: string, args: string[]): Promise<Packed> => {
    const output = await run("npm", ["pack", "--json", "--pack-destination", into, ...args], cwd);
    const [packed] = JSON.parse(output) as { filename: string; files: { path: string }[] }[];
    return { tarball: join(into, packed!.filename), files: packed!.files.map((f) => f.path) };
  };
  const [protocol, client] = await Promise.all([
    pack(workspace, ["-w", "protocol"]),
    pack(join(workspace, "client-lib"), []),
  ]);
  return { protocol, client };
}

/** A project that installs the tarballs from npm's cache and the registry, with the consumers. */
export async function installConsumer(into: string, tarballs: string[]): Promise<void> {
  mkdirSync(into, { recursive: true });
  cpSync(join(ROOT, "test", "packaging"), into, { recursive: true });
  writeFileSync(join(into, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  const args = ["install", "--prefer-offline", "--no-audit", "--no-fund", ...tarballs];
  await run("npm", args, into);
}
