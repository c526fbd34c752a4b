// The widget's entry point: `<script src=".../widget.js" data-widget-id="…">`.
// The gateway and API addresses come from the tag (the admin pages put them
// in the snippet); without them, the script's own origin as the local stack
// serves it.

import { browserLanguage } from "./i18n";
import { VisitorSession, type WidgetConfig } from "./session";
import { WidgetView } from "./view";

function configFrom(script: HTMLScriptElement): WidgetConfig | null {
  const widgetId = script.dataset.widgetId;
  if (!widgetId) {
    console.error("Switchboard widget: the script tag needs data-widget-id");
    return null;
  }
  const origin = new URL(script.src, location.href);
  const gatewayUrl =
    script.dataset.gateway ?? `${origin.protocol === "https:" ? "wss" : "ws"}://${origin.host}/local`;
  const apiUrl = (script.dataset.api ?? origin.origin).replace(/\/$/, "");
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
