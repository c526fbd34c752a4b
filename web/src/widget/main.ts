// The widget's entry point: `<script src=".../widget.js" data-widget-id="…">`.
// The gateway and API addresses are filled into this script where it is
// served (the local stack per request, a deployment's publisher at deploy
// time); `data-gateway` and `data-api` on the tag override them.

import { browserLanguage } from "./i18n";
import { VisitorSession, type WidgetConfig } from "./session";
import { WidgetView } from "./view";

// Replaced where the script is served (switchboard_web_assets::Asset::bytes_for).
const SERVED_GATEWAY = "__SWITCHBOARD_GATEWAY_URL__";
const SERVED_API = "__SWITCHBOARD_API_URL__";
const filled = (value: string) => !value.startsWith("__SWITCHBOARD");

function configFrom(script: HTMLScriptElement): WidgetConfig | null {
  const widgetId = script.dataset.widgetId;
  if (!widgetId) {
    console.error("Switchboard widget: the script tag needs data-widget-id");
    return null;
  }
  const origin = new URL(script.src, location.href);
  const gatewayUrl =
    script.dataset.gateway ??
    (filled(SERVED_GATEWAY) ? SERVED_GATEWAY : `${origin.protocol === "https:" ? "wss" : "ws"}://${origin.host}/local`);
  const apiUrl = (script.dataset.api ?? (filled(SERVED_API) ? SERVED_API : origin.origin)).replace(/\/$/, "");
  return { widgetId, gatewayUrl, apiUrl };
}

function mount(): void {
  const script = document.currentScript as HTMLScriptElement | null ?? document.querySelector<HTMLScriptElement>("script[data-widget-id]");
  if (!script) return;
  const config = configFrom(script);
  if (!config) return;
  const host = document.createElement("div");
  host.setAttribute("data-switchboard-widget", config.widgetId);
  document.body.append(host);
  const language = script.dataset.language ?? browserLanguage(navigator.languages ?? [navigator.language]);
  let view: WidgetView | null = null;
  const session = new VisitorSession(config, localStorage, () => view?.render());
  view = new WidgetView(host, session, language);
  session.connect();
  if (script.dataset.open === "true") view.open(true);
  // For the demo page and the browser tests: a way to cut the network.
  (window as unknown as { switchboardWidget?: unknown }).switchboardWidget = { drop: () => session.drop() };
}

mount();
