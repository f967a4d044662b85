// Swagger UI on the document the API serves (GET /api/openapi.json). A file, not an inline
// script: the site's Content-Security-Policy (firebase.json) allows scripts from 'self' only.
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  // "Try it out" sends requests from this page: same origin, so the __session cookie signs it in.
  withCredentials: true,
});
