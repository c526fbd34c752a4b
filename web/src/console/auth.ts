// The console's sign-in against the admin API: the access token opens the
// WebSocket and is refreshed before it expires; the refresh token is kept in
// sessionStorage (this tab only) and spent once per refresh.

export interface Account {
  id: string;
  email: string;
  name: string;
  roles: string[];
}

interface SessionResponse {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  operator: Account;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const REFRESH_KEY = "switchboard:refreshToken";
const OIDC_KEY = "switchboard:oidc";

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export class Auth {
  account: Account | null = null;
  private accessToken: string | null = null;
  private expiresAt = 0;
  private refreshing: Promise<void> | null = null;

  constructor(readonly apiUrl: string) {}

  get signedIn(): boolean {
    return this.account !== null;
  }

  async call<T>(method: string, path: string, body?: unknown, token?: string | null): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(`${this.apiUrl}${path}`, init);
    if (response.status === 204) return undefined as T;
    const json = (await response.json().catch(() => ({}))) as { code?: string; message?: string; field?: string };
    if (!response.ok) {
      throw new ApiError(response.status, json.code ?? "error", json.message ?? response.statusText, json.field);
    }
    return json as T;
  }

  /** An authenticated admin API call, refreshing the token when needed. */
  async api<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.call<T>(method, path, body, await this.token());
  }

  /** A file from the admin API (a report, a transcript) with its file name. */
  async download(path: string): Promise<{ blob: Blob; fileName: string }> {
    const response = await fetch(`${this.apiUrl}${path}`, { headers: { authorization: `Bearer ${await this.token()}` } });
    if (!response.ok) {
      const json = (await response.json().catch(() => ({}))) as { code?: string; message?: string; field?: string };
      throw new ApiError(response.status, json.code ?? "error", json.message ?? response.statusText, json.field);
    }
    const disposition = response.headers.get("content-disposition") ?? "";
    const fileName = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? "download.csv";
    return { blob: await response.blob(), fileName };
  }

  async signIn(email: string, password: string): Promise<void> {
    this.adopt(await this.call<SessionResponse>("POST", "/admin/session", { email, password }));
  }

  /**
   * Sends the browser to the tenant's identity provider for an ID token;
   * it comes back to this page with `#id_token=…&state=…`.
   */
  async beginOidc(tenant: string): Promise<void> {
    const start = await this.call<{ clientId: string; authorizationEndpoint: string }>(
      "GET",
      `/admin/session/oidc?tenant=${encodeURIComponent(tenant)}`,
    );
    const state = randomToken();
    const nonce = randomToken();
    sessionStorage.setItem(OIDC_KEY, JSON.stringify({ tenant, state, nonce }));
    const url = new URL(start.authorizationEndpoint);
    url.searchParams.set("client_id", start.clientId);
    url.searchParams.set("response_type", "id_token");
    url.searchParams.set("response_mode", "fragment");
    url.searchParams.set("scope", "openid email");
    url.searchParams.set("redirect_uri", `${location.origin}${location.pathname}`);
    url.searchParams.set("state", state);
    url.searchParams.set("nonce", nonce);
    location.assign(url.toString());
  }

  /**
   * Completes a return from the provider: the fragment's ID token, if its
   * `state` is the one this tab sent (else it is not ours, and ignored).
   */
  async completeOidc(fragment: string): Promise<boolean> {
    const params = new URLSearchParams(fragment.replace(/^#/, ""));
    const idToken = params.get("id_token");
    const saved = sessionStorage.getItem(OIDC_KEY);
    sessionStorage.removeItem(OIDC_KEY);
    if (!idToken || !saved) return false;
    const { tenant, state } = JSON.parse(saved) as { tenant: string; state: string };
    if (params.get("state") !== state) throw new ApiError(400, "state_mismatch", "The sign-in did not start here; try again.");
    this.adopt(await this.call<SessionResponse>("POST", "/admin/session/oidc", { tenant, idToken }));
    return true;
  }

  async setPassword(kind: "accept-invitation" | "reset-password", token: string, password: string): Promise<void> {
    const path = kind === "accept-invitation" ? "/admin/invitations/accept" : "/admin/password-reset/complete";
    this.adopt(await this.call<SessionResponse>("POST", path, { token, password }));
  }

  /** Resumes the tab's sign-in after a reload; false if there is none. */
  async resume(): Promise<boolean> {
    if (!sessionStorage.getItem(REFRESH_KEY)) return false;
    try {
      await this.refresh();
      return true;
    } catch {
      sessionStorage.removeItem(REFRESH_KEY);
      return false;
    }
  }

  async signOut(): Promise<void> {
    const refreshToken = sessionStorage.getItem(REFRESH_KEY);
    sessionStorage.removeItem(REFRESH_KEY);
    this.account = null;
    this.accessToken = null;
    if (refreshToken) await this.call("POST", "/admin/session/sign-out", { refreshToken }).catch(() => undefined);
  }

  /** A valid access token, refreshed if it has under a minute left. */
  async token(): Promise<string> {
    if (!this.accessToken || Date.now() > this.expiresAt - 60_000) await this.refresh();
    if (!this.accessToken) throw new ApiError(401, "unauthenticated", "signed out");
    return this.accessToken;
  }

  private refresh(): Promise<void> {
    // Two callers at once must not spend the refresh token twice: the second
    // spend would end the whole sign-in.
    this.refreshing ??= (async () => {
      try {
        const refreshToken = sessionStorage.getItem(REFRESH_KEY);
        if (!refreshToken) throw new ApiError(401, "unauthenticated", "signed out");
        this.adopt(await this.call<SessionResponse>("POST", "/admin/session/refresh", { refreshToken }));
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private adopt(s: SessionResponse): void {
    this.account = s.operator;
    this.accessToken = s.accessToken;
    this.expiresAt = Date.now() + s.expiresIn * 1000;
    sessionStorage.setItem(REFRESH_KEY, s.refreshToken);
  }
}
