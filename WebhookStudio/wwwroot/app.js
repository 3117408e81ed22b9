// Small browser helpers the Blazor components call through JS interop.
window.studio = {
    prefersDark() {
        const saved = localStorage.getItem("studio.theme");
        if (saved) return saved === "dark";
        return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    },
    rememberTheme(dark) {
        localStorage.setItem("studio.theme", dark ? "dark" : "light");
    },
    async copy(text) {
        // The Clipboard API needs a secure context; plain http on a LAN address falls back to a hidden textarea.
        if (navigator.clipboard && window.isSecureContext) {
            await navigator.clipboard.writeText(text);
            return;
        }
        const area = document.createElement("textarea");
        area.value = text;
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        document.execCommand("copy");
        area.remove();
    },
    relaxJson() {
        // JSON templates hold Liquid placeholders ({{ … }}), which are not JSON until rendered; the studio checks
        // templates itself and reports errors with their line, so Monaco's red squiggles would only mislead.
        try {
            window.monaco?.languages?.json?.jsonDefaults?.setDiagnosticsOptions({ validate: false });
        } catch (e) {
            console.warn("Could not turn off JSON diagnostics", e);
        }
    },
    hasElement(id) {
        return document.getElementById(id) !== null;
    },
    disposeEditor(id) {
        // BlazorMonaco creates Monaco editors but never disposes them; each page left would keep its editors alive.
        const editors = window.blazorMonaco?.editors ?? [];
        const index = editors.findIndex(holder => holder.id === id);
        if (index < 0) return;
        const [holder] = editors.splice(index, 1);
        holder.editor?.dispose();
    },
    scrollIntoView(element) {
        element?.scrollIntoView({ behavior: "smooth", block: "start" });
    },
    download(fileName, contentType, text) {
        const url = URL.createObjectURL(new Blob([text], { type: contentType }));
        const link = document.createElement("a");
        link.href = url;
        link.download = fileName;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
    }
};
