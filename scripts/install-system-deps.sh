#!/usr/bin/env bash
# Installs the system packages wkus needs when they are missing (Debian/Ubuntu):
#   Pango (WeasyPrint's PDF text layout), DejaVu fonts (Polish letters in
#   figures and PDFs), poppler-utils (pdftoppm, used by tests to look at PDFs).
# Runs apt-get only when something is missing and we are root; otherwise it
# says what to install and goes on (the tests that need a tool skip with a
# clear reason).
set -euo pipefail

missing=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi 'DejaVuSans' || missing+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Instaluję pakiety systemowe: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Brakuje pakietów systemowych: ${missing[*]} (zainstaluj je menedżerem pakietów)." >&2
fi
