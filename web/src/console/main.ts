// The operator console: sign-in, then the workspace over the WebSocket.
// `config.json` beside the page names the API and the gateway (the local
// stack serves it; a deployment writes it at deploy time).

import { Auth } from "./auth";
import { Desk } from "./desk";
import { setPasswordScreen, signInScreen } from "./signin";
import { Workspace } from "./workspace";

interface Config {
  apiUrl: string;
  gatewayUrl: string;
}

async function loadConfig(): Promise<Config> {
  const response = await fetch("/console/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  return (await response.json()) as Config;
}

function show(node: HTMLElement): void {
  const root = document.getElementById("app");
  root?.replaceChildren(node);
  (node.querySelector("input, button") as HTMLElement | null)?.focus();
}

async function boot(): Promise<void> {
  const config = await loadConfig();
  const auth = new Auth(config.apiUrl.replace(/\/$/, ""));
  const hash = location.hash;
  const link = /^#\/(accept-invitation|reset-password)\?token=([^&]+)/.exec(hash);
  if (link) {
    const kind = link[1] as "accept-invitation" | "reset-password";
    show(setPasswordScreen(auth, kind, decodeURIComponent(link[2] ?? ""), () => {
      history.replaceState(null, "", location.pathname);
      start(auth, config);
    }));
    return;
  }
  if (/[#&]id_token=/.test(hash)) {
    try {
      const done = await auth.completeOidc(hash);
      history.replaceState(null, "", location.pathname);
      if (done) {
        start(auth, config);
        return;
      }
    } catch (e) {
      history.replaceState(null, "", location.pathname);
      const screen = signInScreen(auth, () => start(auth, config));
      const error = screen.querySelector("#signin-error");
      if (error) error.textContent = `Sign-in with your provider failed: ${e instanceof Error ? e.message : String(e)}`;
      show(screen);
      return;
    }
  }
  if (await auth.resume()) start(auth, config);
  else show(signInScreen(auth, () => start(auth, config)));
}

function start(auth: Auth, config: Config): void {
  let workspace: Workspace | null = null;
  let scheduled = false;
  const render = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      workspace?.update();
    });
  };
  const desk = new Desk(
    async () => `${config.gatewayUrl}?token=${encodeURIComponent(await auth.token())}`,
    render,
    notify,
  );
  // The heartbeat (an operator whose consoles stay silent for a minute is
  // offline for routing) and the clock the SLA deadlines count down by.
  const timers = [setInterval(() => desk.socket.send("ping", {}), 30_000), setInterval(render, 30_000)];
  const stopTimers = () => timers.forEach((t) => clearInterval(t));
  const signOut = () => {
    stopTimers();
    desk.socket.stop();
    void auth.signOut().then(() => show(signInScreen(auth, () => start(auth, config))));
  };
  workspace = new Workspace(desk, auth, signOut);
  show(workspace.node);
  void desk.socket.connect();
  desk.socket.on((e) => {
    if (e.event === "error" && e.code === "unauthorized") stopTimers();
  });
  if ("Notification" in window && Notification.permission === "default") {
    document.addEventListener("click", () => void Notification.requestPermission(), { once: true });
  }
}

let audio: AudioContext | null = null;

/** A desktop notification while the tab is hidden, and a short tone for cards. */
function notify(kind: "message" | "queue" | "card", text: string): void {
  if (kind === "card") {
    try {
      audio ??= new AudioContext();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.1;
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.2);
    } catch {
      // No audio device: the line in the chat still says it.
    }
  }
  if (document.hidden && "Notification" in window && Notification.permission === "granted") {
    const title = kind === "queue" ? "New chat waiting" : kind === "card" ? "Hero Card answered" : "New message";
    new Notification(title, { body: text.slice(0, 120), tag: kind });
  }
}

void boot().catch((e: unknown) => {
  const root = document.getElementById("app");
  if (root) root.textContent = `The console could not start: ${e instanceof Error ? e.message : String(e)}`;
});
