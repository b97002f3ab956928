// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Cart badge: the cart views keep a `cart_count` cookie, so cached pages carry nothing per visitor.
  function showCartCount() {
    var match = document.cookie.match(/(?:^|;\s*)cart_count=(\d+)/);
    var count = match ? parseInt(match[1], 10) : 0;
    document.querySelectorAll("[data-cart-count]").forEach(function (badge) {
      badge.textContent = count > 99 ? "99+" : String(count);
      badge.hidden = count === 0;
      var link = badge.closest("a");
      if (link) {
        link.setAttribute("aria-label", count ? "Cart, " + count + (count === 1 ? " item" : " items") : "Cart");
      }
    });
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

  function init() {
    showCartCount();
    showCurrentAccountSection();
    enhancePrintButtons();
    enhanceMenus();
    enhanceGalleries();
    enhanceVideos();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  // Returning through the back/forward cache shows a stale badge otherwise.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) showCartCount();
  });
})();
