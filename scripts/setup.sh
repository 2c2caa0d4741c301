#!/usr/bin/env bash
# Install everything qdocs needs on a fresh Debian/Ubuntu machine, idempotently:
# Debian fonts and libraries, the Fandol fonts (from texlive-lang-chinese, fonts only),
# a virtual environment in .venv with qdocs and its test tools.
#   scripts/setup.sh          what `./dev build` needs
#   scripts/setup.sh --test   plus LibreOffice and the test tools
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

apt_packages=(python3 python3-venv fontconfig fonts-noto-cjk fonts-lxgw-wenkai fonts-arphic-ukai
              libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils)
# chromium: the browser tests drive it with Playwright (its own browser download is not used);
# Calc: the score-sheet tests re-save sheets as a user's office suite would
[ "$want_test" -eq 1 ] && apt_packages+=(libreoffice-writer-nogui libreoffice-calc-nogui chromium)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# Fandol (仿宋, 楷, 黑, 宋; GB2312-complete) ships only inside texlive-lang-chinese:
# take its .otf files, not the ~150 TeX packages it depends on.
fandol_dir=/usr/local/share/fonts/fandol
if [ -f "$fandol_dir/FandolHei-Bold.otf" ]; then   # left by an earlier setup
  $SUDO rm -f "$fandol_dir"/Fandol*-Bold.otf
  $SUDO fc-cache -f "$fandol_dir" >/dev/null
fi
if [ ! -f "$fandol_dir/FandolFang-Regular.otf" ]; then
  echo "setup: extracting the Fandol fonts from texlive-lang-chinese"
  tmp=$(mktemp -d)
  ( cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null 2>&1 ) || {
    $SUDO apt-get update -q >/dev/null; ( cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null ); }
  dpkg-deb --fsys-tarfile "$tmp"/texlive-lang-chinese_*.deb \
    | tar -x -C "$tmp" --wildcards '*/fandol/Fandol*.otf'
  $SUDO mkdir -p "$fandol_dir"
  # Regular faces only: Fandol's Bold files declare the regular weight (80), so fontconfig
  # could serve either for 黑体 or 宋体.
  $SUDO cp "$tmp"/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol{Fang,Kai,Hei,Song}-Regular.otf \
    "$fandol_dir"/
  $SUDO fc-cache -f "$fandol_dir" >/dev/null
  rm -rf "$tmp"
fi

# LibreOffice (the DOCX check) asks for the standard faces by name: alias them to the
# substitutes, as the PDF uses.
conf=/etc/fonts/conf.d/65-qdocs-gbt9704.conf
if ! cmp -s scripts/fontconfig/65-qdocs-gbt9704.conf "$conf"; then
  $SUDO cp scripts/fontconfig/65-qdocs-gbt9704.conf "$conf"
  $SUDO fc-cache -f >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.qdocs-installed
extras=""
[ "$want_test" -eq 1 ] && extras="[test]"
if [ ! -f "$stamp$extras" ] || [ pyproject.toml -nt "$stamp$extras" ]; then
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q -e ".$extras"
  touch "$stamp$extras"
fi
