"""Ready-to-paste fixes for response headers, one snippet per place a founder may set them.

Every header rule's fix is the same shape (nginx, Caddy, a Cloudflare Transform Rule, Starlette/FastAPI
middleware, Next.js ``headers()``), so they are generated from the header name and value here instead of
being written out five times per rule.
"""

from __future__ import annotations

from launchready.findings import Fix


def header_snippets(name: str, value: str) -> dict[str, str]:
    return {
        "nginx": f'add_header {name} "{value}" always;',
        "caddy": f'header {name} "{value}"',
        "cloudflare": (
            "Rules → Transform Rules → Modify Response Header → Set static:\n"
            f"  header name: {name}\n  value: {value}"
        ),
        "fastapi": (
            "@app.middleware('http')\n"
            "async def security_headers(request, call_next):\n"
            "    response = await call_next(request)\n"
            f"    response.headers[{name!r}] = {value!r}\n"
            "    return response"
        ),
        "nextjs": (
            "// next.config.js\n"
            "module.exports = {\n"
            "  async headers() {\n"
            f"    return [{{ source: '/:path*', headers: [{{ key: '{name}', value: \"{value}\" }}] }}]\n"
            "  },\n"
            "}"
        ),
    }


def header_fix(summary: str, name: str, value: str, *steps: str, references: tuple[str, ...] = ()) -> Fix:
    return Fix(summary=summary, steps=steps, snippets=header_snippets(name, value), references=references)


def remove_header_snippets(*names: str) -> dict[str, str]:
    nginx = "server_tokens off;" + "".join(
        f"\nproxy_hide_header {n};" for n in names if n.lower() != "server"
    )
    return {
        "nginx": nginx,
        "caddy": "\n".join(f"header -{n}" for n in names),
        "cloudflare": "Rules → Transform Rules → Modify Response Header → Remove: " + ", ".join(names),
        "fastapi": (
            "# uvicorn: run with --no-server-header\n"
            "@app.middleware('http')\n"
            "async def hide_banners(request, call_next):\n"
            "    response = await call_next(request)\n"
            + "".join(f"    response.headers.pop({n!r}, None)\n" for n in names)
            + "    return response"
        ),
        "nextjs": "// next.config.js\nmodule.exports = { poweredByHeader: false }",
    }
