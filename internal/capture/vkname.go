package capture

// vkName is a Windows virtual key's name for a shortcut ("S", "F5",
// "Tab"; "" when unknown). The punctuation keys are named as on a US
// keyboard. No build tag: TestKeyboard checks it on every system.
func vkName(vk uint32) string {
	switch {
	case vk >= 'A' && vk <= 'Z', vk >= '0' && vk <= '9':
		return string(rune(vk))
	case vk >= 0x60 && vk <= 0x69: // VK_NUMPAD0..9
		return "Num" + string(rune('0'+vk-0x60))
	case vk >= 0x70 && vk <= 0x87: // VK_F1..F24
		return "F" + itoa(int(vk-0x70+1))
	}
	return vkNames[vk]
}

var vkNames = map[uint32]string{
	0x08: "Backspace", 0x09: "Tab", 0x0d: "Enter", 0x1b: "Esc", 0x20: "Space",
	0x21: "PageUp", 0x22: "PageDown", 0x23: "End", 0x24: "Home",
	0x25: "Left", 0x26: "Up", 0x27: "Right", 0x28: "Down", 0x2c: "Print", 0x2d: "Insert", 0x2e: "Delete",
	0x6a: "Num*", 0x6b: "Num+", 0x6d: "Num-", 0x6e: "Num.", 0x6f: "Num/",
	0xba: ";", 0xbb: "=", 0xbc: ",", 0xbd: "-", 0xbe: ".", 0xbf: "/", 0xc0: "`",
	0xdb: "[", 0xdc: "\\", 0xdd: "]", 0xde: "'",
}
