// The printable summary: the print button (no inline script: the CSP forbids it).
document.getElementById("print-button").addEventListener("click", () => window.print());
