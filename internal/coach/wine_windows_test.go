package coach_test

import _ "github.com/cuecard/cuecard/internal/winetest" // os.RemoveAll under Wine
