#!/usr/bin/env bash
# Draws the app's two icons once with ImageMagick (apt-get install imagemagick); the PNGs are
# committed, so building the package does not need it. Teams wants:
#   color.png   192×192, full colour (Teams rounds the corners itself);
#   outline.png 32×32, white on a transparent background, nothing else.
# The picture: a regulations sheet (three lines of text) with a tick.
set -euo pipefail
cd "$(dirname "$0")"
png=(-strip -define png:exclude-chunks=date,time)

convert -size 192x192 xc:'#5B5FC7' \
  -fill white -stroke none -draw 'roundrectangle 52,36 140,156 10,10' \
  -fill '#5B5FC7' -draw 'rectangle 68,62 124,70' -draw 'rectangle 68,82 124,90' -draw 'rectangle 68,102 104,110' \
  -fill '#2FB67C' -stroke white -strokewidth 5 -draw 'circle 132,138 132,112' \
  -fill none -stroke white -strokewidth 7 -draw 'polyline 119,138 129,148 146,128' \
  "${png[@]}" PNG32:color.png

convert -size 32x32 xc:none \
  -fill none -stroke white -strokewidth 2 -draw 'roundrectangle 7,3 23,28 2,2' \
  -fill white -stroke none -draw 'rectangle 10,8 20,9' -draw 'rectangle 10,12 20,13' -draw 'rectangle 10,16 16,17' \
  -fill none -stroke white -strokewidth 2 -draw 'polyline 17,23 20,26 27,18' \
  "${png[@]}" PNG32:outline.png

identify color.png outline.png
