// The sign-in screen, and the page a one-time link opens to set a password
// (an invitation or a reset).

import { el } from "../shared/dom";
import { ApiError, type Auth } from "./auth";

export function signInScreen(auth: Auth, done: () => void): HTMLElement {
  const email = el("input", { id: "email", type: "email", autocomplete: "username", required: "" });
  const password = el("input", { id: "password", type: "password", autocomplete: "current-password", required: "" });
  const error = el("p", { class: "error", role: "alert", id: "signin-error" });
  const submit = el("button", { type: "submit" }, "Sign in");
  const form = el(
    "form",
    { class: "signin", "aria-labelledby": "signin-title" },
    el("h1", { id: "signin-title" }, "Switchboard"),
    el("label", { for: "email" }, "E-mail", email),
    el("label", { for: "password" }, "Password", password),
    error,
    submit,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit.disabled = true;
    error.textContent = "";
    auth
      .signIn(email.value.trim(), password.value)
      .then(done)
      .catch((err: unknown) => {
        error.textContent =
          err instanceof ApiError && err.status === 401
            ? "Wrong e-mail or password."
            : `Sign-in failed: ${err instanceof Error ? err.message : String(err)}`;
        password.value = "";
        password.focus();
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  const tenant = el("input", { id: "tenant", autocomplete: "organization", placeholder: "e.g. acme" });
  const oidcError = el("p", { class: "error", role: "alert" });
  const oidc = el(
    "form",
    { class: "signin oidc", "aria-labelledby": "oidc-title" },
    el("h2", { id: "oidc-title" }, "Or with your organization's account"),
    el("label", { for: "tenant" }, "Company (tenant id)", tenant),
    oidcError,
    el("button", { type: "submit", class: "secondary" }, "Continue with your provider"),
  );
  oidc.addEventListener("submit", (e) => {
    e.preventDefault();
    oidcError.textContent = "";
    auth.beginOidc(tenant.value.trim()).catch((err: unknown) => {
      oidcError.textContent =
        err instanceof ApiError && err.status === 404
          ? "This company does not sign in with an identity provider."
          : `Could not start: ${err instanceof Error ? err.message : String(err)}`;
    });
  });
  return el("main", { class: "center" }, el("div", { class: "stack" }, form, oidc));
}

export function setPasswordScreen(
  auth: Auth,
  kind: "accept-invitation" | "reset-password",
  token: string,
  done: () => void,
): HTMLElement {
  const password = el("input", { id: "new-password", type: "password", autocomplete: "new-password", required: "", minlength: "12" });
  const error = el("p", { class: "error", role: "alert" });
  const form = el(
    "form",
    { class: "signin", "aria-labelledby": "setpw-title" },
    el("h1", { id: "setpw-title" }, kind === "accept-invitation" ? "Welcome to Switchboard" : "Choose a new password"),
    el("label", { for: "new-password" }, "New password (at least 12 characters)", password),
    error,
    el("button", { type: "submit" }, "Set password and sign in"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    auth
      .setPassword(kind, token, password.value)
      .then(done)
      .catch((err: unknown) => {
        error.textContent = err instanceof Error ? err.message : String(err);
      });
  });
  return el("main", { class: "center" }, form);
}
