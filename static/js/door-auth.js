// The scanner page's door token: a short-lived bearer credential for its logged-in staff member
// (POST /api/v1/<slug>/door-token, with the session cookie and the page's CSRF header). Every scan, search and
// door-list request of the page carries it, live or synced from offline, the one way a gate device scans.
(function () {
  "use strict";

  var RENEW_BEFORE_MS = 10 * 60 * 1000;  // a token is renewed this long before it expires

  // options: tokenUrl, csrf
  window.DoorAuth = function (options) {
    var token = null;
    var expiresAt = 0;
    var asking = null;

    function refused(status) {
      var error = new Error("door token refused");
      error.status = status;
      return error;
    }

    function ask() {
      if (!asking) {
        asking = window.fetch(options.tokenUrl, {
          method: "POST", credentials: "same-origin", cache: "no-store",
          headers: { "Accept": "application/json", "X-CSRFToken": options.csrf }
        }).then(function (response) {
          if (!response.ok) { throw refused(response.status); }
          return response.json();
        }).then(function (body) {
          token = body.token;
          expiresAt = Date.parse(body.expires_at);
          asking = null;
          return token;
        }, function (error) {
          asking = null;
          throw error;
        });
      }
      return asking;
    }

    function current() {
      if (token && Date.now() < expiresAt - RENEW_BEFORE_MS) { return Promise.resolve(token); }
      return ask();
    }

    // window.fetch with the door token. A 401 (the token expired, or the session changed) asks for a new token
    // once and sends again; a refused token request (logged out: 401, off the team: 403) answers with its status,
    // so that callers treat it as they treat the API's own refusals. A network failure rejects, as fetch does.
    function doorFetch(url, init) {
      init = init || {};
      function send(bearer) {
        var headers = {};
        Object.keys(init.headers || {}).forEach(function (name) { headers[name] = init.headers[name]; });
        headers.Authorization = "Bearer " + bearer;
        return window.fetch(url, Object.assign({}, init, { headers: headers, credentials: "omit" }));
      }
      function asResponse(error) {
        if (error && error.status) { return new Response(null, { status: error.status }); }
        throw error;
      }
      return current().then(send).then(function (response) {
        if (response.status !== 401) { return response; }
        token = null;
        return ask().then(send);
      }).catch(asResponse);
    }

    current().catch(function () { /* asked again with the first request */ });
    return { fetch: doorFetch };
  };
})();
