// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|;\\s*)" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }

  // Cart badge: the cart views keep a `cart_count` cookie, so cached pages carry nothing per visitor.
  function showCartCount(count) {
    if (count === undefined) count = parseInt(cookie("cart_count"), 10) || 0;
    document.querySelectorAll("[data-cart-count]").forEach(function (badge) {
      badge.textContent = count > 99 ? "99+" : String(count);
      badge.hidden = count === 0;
      var link = badge.closest("a");
      if (link) {
        link.setAttribute("aria-label", count ? "Cart, " + count + (count === 1 ? " item" : " items") : "Cart");
      }
    });
  }

  // A signed-in visitor's own parts of a page. Pages are the same for everyone (and served from the page
  // cache), so the account link's name, the wishlist hearts and "you bought this" come from one private
  // request, /account/visitor/, asked only when the `signed_in` hint cookie says there is someone to ask about.
  var personalised = false;

  function showVisitor() {
    var url = document.body.getAttribute("data-visitor-url");
    if (!url || !cookie("signed_in")) return;
    var ids = [];
    document.querySelectorAll("[data-wishlist], [data-owned]").forEach(function (element) {
      var id = element.getAttribute("data-wishlist") || element.getAttribute("data-owned");
      if (ids.indexOf(id) === -1 && ids.length < 100) ids.push(id);
    });
    if (ids.length) url += "?products=" + ids.join(",");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (visitor) {
        if (visitor && visitor.signed_in) applyVisitor(visitor);
      })
      .catch(function () {}); // offline or refused: the page as everyone gets it still works
  }

  function applyVisitor(visitor) {
    personalised = true;
    document.querySelectorAll("[data-visitor-name]").forEach(function (name) {
      name.textContent = visitor.name;
      name.hidden = false;
    });
    showCartCount(visitor.cart_count);
    var token = csrfToken();
    document.querySelectorAll("a[data-wishlist]").forEach(function (link) {
      var id = parseInt(link.getAttribute("data-wishlist"), 10);
      if (token) link.replaceWith(wishlistForm(link, visitor.wishlist.indexOf(id) !== -1, visitor.urls, token));
    });
    document.querySelectorAll("[data-owned]").forEach(function (note) {
      var purchase = visitor.owned[note.getAttribute("data-owned")];
      if (!purchase) return;
      note.querySelector("[data-owned-date]").textContent = purchase.bought_on;
      var order = note.querySelector("[data-owned-order]");
      if (order) order.href = purchase.order_url;
      note.hidden = false;
    });
    // Only a buyer may review (the form checks again): the link stays hidden for everyone else.
    document.querySelectorAll("[data-review-link]").forEach(function (link) {
      if (visitor.owned[link.getAttribute("data-review-link")]) link.hidden = false;
    });
  }

  // The page's own (masked, per-response) token, or the CSRF cookie /account/visitor/ has just made sure of.
  function csrfToken() {
    var input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : cookie("csrftoken");
  }

  // The log-in link a shared page carries becomes the form the account's own pages render.
  function wishlistForm(link, saved, urls, token) {
    var title = link.getAttribute("data-wishlist-title");
    var form = document.createElement("form");
    form.method = "post";
    form.action = saved ? urls.wishlist_remove : urls.wishlist_add;
    [
      ["csrfmiddlewaretoken", token],
      ["product", link.getAttribute("data-wishlist")],
      ["next", window.location.pathname + window.location.search],
    ].forEach(function (field) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = field[0];
      input.value = field[1];
      form.appendChild(input);
    });
    var button = document.createElement("button");
    button.type = "submit";
    button.className = link.className;
    button.setAttribute("aria-pressed", saved ? "true" : "false");
    var heart = link.querySelector("svg");
    ["fill-rose-600", "text-rose-600"].forEach(function (name) {
      heart.classList.toggle(name, saved);
    });
    ["fill-none", "text-current"].forEach(function (name) {
      heart.classList.toggle(name, !saved);
    });
    var label = link.querySelector("[data-wishlist-label]");
    if (link.hasAttribute("data-wishlist-large")) label.textContent = saved ? "Saved to wishlist" : "Save to wishlist";
    else label.textContent = (saved ? "Remove " + title + " from your wishlist" : "Save " + title + " to your wishlist");
    button.append(heart, " ", label);
    form.appendChild(button);
    return form;
  }

  // Mobile menu (<details>): close with Escape or when focus or a click leaves it.
  function enhanceMenus() {
    document.querySelectorAll("details[data-menu]").forEach(function (menu) {
      menu.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
      document.addEventListener("click", function (event) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
    });
  }

  // Product gallery: thumbnails scroll the strip instead of jumping the page, and mark the current slide.
  function enhanceGalleries() {
    document.querySelectorAll("[data-gallery-track]").forEach(function (track) {
      var root = track.parentElement.parentElement;
      var thumbs = Array.prototype.slice.call(root.querySelectorAll("[data-gallery-thumb]"));
      if (!thumbs.length) return;
      thumbs.forEach(function (thumb) {
        thumb.addEventListener("click", function (event) {
          var slide = document.getElementById(thumb.hash.slice(1));
          if (!slide) return;
          event.preventDefault();
          track.scrollTo({ left: slide.offsetLeft, behavior: "smooth" });
        });
      });
      var pending = false;
      track.addEventListener("scroll", function () {
        if (pending) return;
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          var index = Math.round(track.scrollLeft / track.clientWidth);
          thumbs.forEach(function (thumb, i) {
            if (i === index) thumb.setAttribute("aria-current", "true");
            else thumb.removeAttribute("aria-current");
          });
        });
      });
    });
  }

  // Video facades: load the cookie-less player only when the visitor asks for it.
  function enhanceVideos() {
    document.querySelectorAll("[data-video-embed]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var frame = document.createElement("iframe");
        var src = link.getAttribute("data-video-embed");
        frame.src = src + (src.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
        frame.title = link.getAttribute("data-video-title");
        frame.allow = "accelerometer; autoplay; encrypted-media; gyroscope; picture-in-picture; fullscreen";
        frame.allowFullscreen = true;
        frame.referrerPolicy = "strict-origin-when-cross-origin";
        frame.className = "absolute inset-0 size-full";
        link.replaceWith(frame);
        frame.focus();
      });
    });
  }

  // Print buttons (receipts) only make sense with script, so they start hidden.
  function enhancePrintButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  // The account navigation scrolls sideways on a phone: bring the current section into view.
  function showCurrentAccountSection() {
    var current = document.querySelector('nav[aria-label="Your account"] [aria-current="page"]');
    var strip = current && current.closest("nav");
    if (strip && strip.scrollWidth > strip.clientWidth) {
      var offset = current.getBoundingClientRect().left - strip.getBoundingClientRect().left;
      strip.scrollLeft += offset - (strip.clientWidth - current.offsetWidth) / 2;
    }
  }

  // The visit that led to a sale, for the "which page sold it" report (checkout/attribution.py): its landing
  // path and UTM values, kept in this tab's sessionStorage (no cookie and no request, so cached pages stay the
  // same for everyone) and sent only inside an add-to-cart form. A new touch is a link with UTM values, an
  // arrival from another site, or the tab's first page. Storage refused: nothing is sent, and the cart line
  // keeps only the page and block its form names.
  var UTM_FIELDS = ["utm_source", "utm_medium", "utm_campaign"];

  function rememberVisit() {
    try {
      var params = new URLSearchParams(window.location.search);
      var touch = { landing: window.location.pathname.slice(0, 300) };
      var tagged = false;
      UTM_FIELDS.forEach(function (field) {
        var value = params.get(field);
        if (value) {
          touch[field] = value.slice(0, 100);
          tagged = true;
        }
      });
      var referrer = document.referrer ? new URL(document.referrer).host : "";
      var first = window.sessionStorage.getItem("pagecart.touch.first");
      if (!tagged && first && (!referrer || referrer === window.location.host)) return;
      if (!first) window.sessionStorage.setItem("pagecart.touch.first", JSON.stringify(touch));
      window.sessionStorage.setItem("pagecart.touch.last", JSON.stringify(touch));
    } catch (error) {} // storage refused or a malformed referrer: no visit is kept
  }

  function sendVisitWithBuyForms() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-buy-form]")) return;
      ["first", "last"].forEach(function (name) {
        var value = null;
        try {
          value = window.sessionStorage.getItem("pagecart.touch." + name);
        } catch (error) {}
        var input = form.querySelector('input[name="touch_' + name + '"]');
        if (!value) return;
        if (!input) {
          input = document.createElement("input");
          input.type = "hidden";
          input.name = "touch_" + name;
          form.appendChild(input);
        }
        input.value = value;
      });
    });
  }


  // Add to cart without leaving the page: a buy form's "Add to cart" is sent with fetch (the form's own CSRF
  // token and attribution fields, the visit's touches added above) and the server answers the visitor's cart as
  // JSON, shown in a drawer built here: cached pages carry nothing per visitor. "Buy now" (data-buy-now, its
  // own formaction) navigates as without script. Any failure to reach the server falls back to a plain submit.
  var drawer = null;
  var drawerOpener = null;

  function announce(text) {
    var live = document.getElementById("cart-announcer");
    if (!live) {
      live = document.createElement("div");
      live.id = "cart-announcer";
      live.className = "sr-only";
      live.setAttribute("aria-live", "polite");
      live.setAttribute("role", "status");
      document.body.appendChild(live);
    }
    live.textContent = "";
    window.setTimeout(function () {
      live.textContent = text;
    }, 50);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function buildDrawer() {
    var dialog = element("dialog", "cart-drawer");
    dialog.setAttribute("aria-labelledby", "cart-drawer-title");
    dialog.setAttribute("data-cart-drawer", "");
    dialog.addEventListener("close", function () {
      if (drawerOpener && document.contains(drawerOpener)) drawerOpener.focus();
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close(); // a click on the backdrop
    });
    document.body.appendChild(dialog);
    return dialog;
  }

  function fillDrawer(body) {
    var cart = body.cart;
    var panel = element("div", "flex h-full flex-col");
    var head = element("div", "flex items-center justify-between border-b border-zinc-200 px-5 py-4");
    var title = element("h2", "text-lg font-semibold text-zinc-900", "Your cart");
    title.id = "cart-drawer-title";
    var close = element("button", "btn btn-secondary px-3 py-1.5 text-sm", "Close");
    close.type = "button";
    close.addEventListener("click", function () {
      drawer.close();
    });
    head.append(title, close);
    panel.appendChild(head);
    var content = element("div", "flex-1 overflow-y-auto px-5 py-4");
    if (body.error) {
      content.appendChild(element("p", "mb-4 rounded-xl bg-red-50 px-4 py-3 text-sm text-red-900 ring-1 ring-red-200 ring-inset", body.error)).setAttribute("role", "alert");
    } else if (body.message) {
      content.appendChild(element("p", "mb-4 rounded-xl bg-emerald-50 px-4 py-3 text-sm text-emerald-900 ring-1 ring-emerald-200 ring-inset", body.message));
    }
    if (!cart.lines.length) {
      content.appendChild(element("p", "text-sm text-zinc-600", "Your cart is empty."));
    } else {
      var list = element("ul", "divide-y divide-zinc-200");
      list.setAttribute("data-cart-lines", "");
      cart.lines.forEach(function (line) {
        var item = element("li", "flex items-start justify-between gap-4 py-3 text-sm");
        var name = element("div", "min-w-0");
        var link = element("a", "font-medium text-zinc-900 hover:underline", line.title);
        link.href = line.url;
        name.appendChild(link);
        name.appendChild(element("p", "text-zinc-600", "Quantity " + line.quantity));
        if (line.problem) name.appendChild(element("p", "font-medium text-amber-800", line.problem));
        item.append(name, element("p", "shrink-0 font-medium tabular-nums text-zinc-900", line.total));
        list.appendChild(item);
      });
      content.appendChild(list);
      var subtotal = element("p", "mt-3 flex justify-between border-t border-zinc-200 pt-3 text-base font-semibold text-zinc-900");
      subtotal.append(element("span", "", "Subtotal"), element("span", "tabular-nums", cart.subtotal));
      subtotal.setAttribute("data-cart-subtotal", "");
      content.appendChild(subtotal);
    }
    panel.appendChild(content);
    var foot = element("div", "grid gap-3 border-t border-zinc-200 px-5 py-4");
    var checkout = cart.checkout;
    if (checkout.enabled && !checkout.needs_cart) {
      var form = element("form", "grid gap-2");
      form.method = "post";
      form.action = checkout.url;
      [["csrfmiddlewaretoken", csrfToken()], ["email_on_payment_page", "1"]].forEach(function (field) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = field[0];
        input.value = field[1];
        form.appendChild(input);
      });
      var pay = element("button", "btn btn-primary btn-lg w-full", "Check out");
      pay.type = "submit";
      form.appendChild(pay);
      form.appendChild(element("p", "text-center text-xs text-zinc-600",
        checkout.email ? "Your receipt goes to " + checkout.email + "." : "You give your email on the secure payment page."));
      foot.appendChild(form);
    } else if (checkout.enabled) {
      foot.appendChild(element("p", "text-sm text-zinc-700", checkout.needs_cart));
    }
    var view = element("a", (checkout.enabled && !checkout.needs_cart ? "btn btn-secondary" : "btn btn-primary") + " w-full",
      checkout.enabled && checkout.needs_cart ? "Go to your cart to check out" : "View cart");
    view.href = checkout.cart_url;
    foot.appendChild(view);
    panel.appendChild(foot);
    drawer.replaceChildren(panel);
  }

  function openDrawer(body, opener) {
    if (!drawer) drawer = buildDrawer();
    drawerOpener = opener || document.activeElement;
    fillDrawer(body);
    if (!drawer.open) drawer.showModal();
    var first = drawer.querySelector(body.error ? "[role=alert] ~ * a, button" : "form button, a.btn");
    (first || drawer.querySelector("button")).focus();
  }

  function enhanceBuyForms() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-buy-form]") || !window.fetch || !window.FormData) return;
      var submitter = event.submitter;
      if (submitter && submitter.hasAttribute("data-buy-now")) return; // straight to the payment page
      event.preventDefault();
      var button = form.querySelector('button[type="submit"]:not([data-buy-now])');
      if (button) button.setAttribute("aria-busy", "true");
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") === -1) throw new Error("not JSON");
          return response.json();
        })
        .then(function (body) {
          if (button) button.removeAttribute("aria-busy");
          showCartCount(body.cart.count);
          // A refusal is the drawer's own alert; a success is said here, apart from the drawer's message.
          if (!body.error) announce("Added to your cart. Your cart has " + body.cart.count + (body.cart.count === 1 ? " item." : " items."));
          openDrawer(body, button);
        })
        .catch(function () {
          if (button) button.removeAttribute("aria-busy");
          form.submit(); // the server or network failed us: the plain form still works
        });
    });
  }


  // Catalogue filters and sort apply as they change: the filtered page (the same URL the Apply button would
  // load, so it stays shareable and cached) is fetched, its results swapped in and their count announced.
  function enhanceCatalogueFilters() {
    var form = document.getElementById("catalogue-filters");
    if (!form || !window.fetch || !window.DOMParser || !window.history.pushState) return;
    document.querySelectorAll("[data-filters-apply]").forEach(function (button) {
      button.hidden = true;
    });
    var pending = null;
    function apply() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (value !== "") params.append(name, value);
      });
      var query = params.toString();
      var url = form.action + (query ? "?" + query : "");
      var results = document.querySelector("[data-catalogue-results]");
      if (results) results.setAttribute("aria-busy", "true");
      var request = (pending = fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          return response.text();
        })
        .then(function (html) {
          if (request !== pending) return; // a later change has overtaken this one
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-catalogue-results]");
          if (!fresh || !results) throw new Error("no results");
          var focused = document.activeElement && document.activeElement.id;
          fresh.querySelectorAll("[data-filters-apply]").forEach(function (button) {
            button.hidden = true;
          });
          results.replaceWith(fresh);
          if (focused && fresh.querySelector("#" + focused)) document.getElementById(focused).focus();
          window.history.pushState({ catalogue: true }, "", url);
          shown = window.location.search;
          var count = document.getElementById("catalogue-count");
          if (count) announce(count.textContent.replace(/\s+/g, " ").trim() + " shown.");
          showCartCount();
        })
        .catch(function () {
          window.location.assign(url);
        }));
    }
    document.addEventListener("change", function (event) {
      if (event.target.form === form) apply();
    });
    var shown = window.location.search;
    window.addEventListener("popstate", function () {
      // Back to an earlier filter: the page for that address (a #fragment link changes nothing here).
      if (window.location.search !== shown) window.location.reload();
    });
  }

  function init() {
    rememberVisit();
    sendVisitWithBuyForms();
    enhanceBuyForms();
    enhanceCatalogueFilters();
    showCartCount();
    showVisitor();
    showCurrentAccountSection();
    enhancePrintButtons();
    enhanceMenus();
    enhanceGalleries();
    enhanceVideos();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  // Returning through the back/forward cache shows a stale badge otherwise, and after logging out, someone
  // else's name and hearts: a fresh copy of the page is the one everyone gets.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    if (personalised && !cookie("signed_in")) window.location.reload();
    else showCartCount();
  });
})();
