#!/usr/bin/env bash
# Installs the system packages wkus needs when they are missing (Debian/Ubuntu):
#   Pango (WeasyPrint's PDF text layout), DejaVu fonts (Polish letters in
#   figures and PDFs), poppler-utils (pdftoppm, used by tests to look at PDFs),
#   Chromium (the browser test of `wkus dashboard` drives it with Playwright;
#   the Debian package, never a browser download), LibreOffice Writer and Calc
#   without GUI (a test opens the statutory DOCX headless; evaluators look at
#   DOCX/XLSX outputs with it).
# Runs apt-get only when something is missing and we are root; otherwise it
# says what to install and goes on (the tests that need a tool skip with a
# clear reason).
set -euo pipefail

missing=()
# grep reads all its input (no -q): with pipefail, an early exit would make the
# listing command die of SIGPIPE and report the package missing although it is there.
ldconfig -p 2>/dev/null | grep 'libpango-1.0' >/dev/null || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -i 'DejaVuSans' >/dev/null || missing+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
command -v chromium >/dev/null || missing+=(chromium)
installed() {  # any of the named Debian packages is installed
  local name
  for name in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$name" 2>/dev/null)" = "install ok installed" ] && return 0
  done
  return 1
}
if command -v dpkg-query >/dev/null; then
  installed libreoffice-writer libreoffice-writer-nogui || missing+=(libreoffice-writer-nogui)
  installed libreoffice-calc libreoffice-calc-nogui || missing+=(libreoffice-calc-nogui)
fi

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Instaluję pakiety systemowe: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Brakuje pakietów systemowych: ${missing[*]} (zainstaluj je menedżerem pakietów)." >&2
fi
