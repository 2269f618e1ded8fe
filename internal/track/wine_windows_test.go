package track

import _ "github.com/cuecard/cuecard/internal/winetest" // os.RemoveAll under Wine
