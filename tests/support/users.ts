// The people of the local Datum Cloud. The IdP signs them in (the dev login page accepts the
// id with any password) and the control plane knows their memberships.
export interface TestUser {
  /** OIDC subject, and the id typed on the login page. */
  id: string;
  email: string;
  name: string;
}

export const ADA: TestUser = { id: "ada", email: "ada@example.com", name: "Ada Lovelace" };
export const BOB: TestUser = { id: "bob", email: "bob@example.com", name: "Bob Builder" };
export const USERS: TestUser[] = [ADA, BOB];

/** The API audience in every access token the IdP issues. */
export const API_AUDIENCE = "https://api.datum.test";
