// Sign-in with the tenant's own identity provider: a provider of the test's
// own (discovery, keys, an authorization endpoint that answers at once with
// a signed ID token) is set for the demo tenant through the admin API, and
// bob signs in through it from the console.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { generateKeyPairSync, sign, randomUUID } from "node:crypto";
import { BASE, PASSWORD, withPages } from "./lib.mjs";

function provider() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, use: "sig", alg: "RS256" };
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const server = createServer((req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`);
    const issuer = `http://127.0.0.1:${server.address().port}`;
    if (url.pathname === "/.well-known/openid-configuration") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ issuer, authorization_endpoint: `${issuer}/authorize`, jwks_uri: `${issuer}/jwks` }));
    } else if (url.pathname === "/jwks") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ keys: [jwk] }));
    } else if (url.pathname === "/authorize") {
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: issuer, aud: url.searchParams.get("client_id"), sub: "bob-at-idp", email: "bob@demo.test",
        email_verified: true, iat: now, exp: now + 300, nonce: url.searchParams.get("nonce"),
      };
      const head = b64({ alg: "RS256", typ: "JWT", kid });
      const body = b64(claims);
      const signature = sign("RSA-SHA256", Buffer.from(`${head}.${body}`), privateKey).toString("base64url");
      const back = `${url.searchParams.get("redirect_uri")}#id_token=${head}.${body}.${signature}&state=${url.searchParams.get("state")}`;
      res.writeHead(302, { location: back });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function api(method, path, token, body) {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

test("an operator signs in with the tenant's identity provider", async (t) => {
  const idp = await provider();
  const issuer = `http://127.0.0.1:${idp.address().port}`;
  try {
    const session = await api("POST", "/admin/session", null, { email: "alice@demo.test", password: PASSWORD });
    assert.equal(session.status, 200);
    const put = await api("PUT", "/admin/oidc", session.body.accessToken, {
      issuer, clientId: "switchboard-console", jwksUri: `${issuer}/jwks`,
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));

    await withPages(t, async (open) => {
      const page = await open("console");
      page.allowed.push(/admin\/session\/oidc\?tenant=nobody.*404|404 \(Not Found\)/);
      await page.goto(`${BASE}/console/`);
      // A tenant without a provider says so.
      await page.getByLabel("Company (tenant id)").fill("nobody");
      await page.getByRole("button", { name: "Continue with your provider" }).click();
      await page.getByText("This company does not sign in with an identity provider.").waitFor();

      await page.getByLabel("Company (tenant id)").fill("demo");
      await page.getByRole("button", { name: "Continue with your provider" }).click();
      await page.getByRole("status").filter({ hasText: "chats" }).waitFor();
      await page.getByText("Bob", { exact: true }).waitFor();
      assert.equal(new URL(page.url()).hash, "", "the ID token is not left in the address bar");
    });
  } finally {
    idp.close();
    const session = await api("POST", "/admin/session", null, { email: "alice@demo.test", password: PASSWORD });
    await api("DELETE", "/admin/oidc", session.body.accessToken);
  }
});
