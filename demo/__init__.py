"""Demo content for `manage.py load_demo`: a small fictional shop, Northwind Studio.

- `art` draws every picture with Pillow (seeded, so the same run gives the same bytes);
- `files` makes the downloadable products (PDFs and ZIPs);
- `content` holds the copy and the shape of the store;
- `loader` finds or updates each object by a stable key, so running it again changes nothing.
"""
