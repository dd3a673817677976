// Door check-in: the QR decoder, a worker running ZXing-C++ (zxing-wasm, vendored) on camera frames.
// The page sends {init: {script, wasm}} once, then frames as {id, width, height, pixels} at the camera's full
// resolution; the worker answers {id, text} (text null when no badge was read). A centred region is tried
// first (where a badge is held, and four times fewer pixels), then the whole frame.
"use strict";

var reader = null;
var options = { formats: ["QRCode"], tryHarder: true, tryInvert: false, tryRotate: true, tryDownscale: true,
                maxNumberOfSymbols: 1 };

function start(init) {
  importScripts(init.script);
  self.ZXingWASM.prepareZXingModule({
    overrides: {
      // The .wasm file comes from our own origin (the package would fetch it from a CDN).
      locateFile: function (path, prefix) { return path.endsWith(".wasm") ? init.wasm : prefix + path; }
    },
    fireImmediately: true
  });
  reader = self.ZXingWASM;
}

function centre(image) {
  var width = Math.round(image.width / 2);
  var height = Math.round(image.height / 2);
  var left = Math.round((image.width - width) / 2);
  var top = Math.round((image.height - height) / 2);
  var pixels = new Uint8ClampedArray(width * height * 4);
  for (var row = 0; row < height; row++) {
    var from = ((top + row) * image.width + left) * 4;
    pixels.set(image.data.subarray(from, from + width * 4), row * width * 4);
  }
  return new ImageData(pixels, width, height);
}

function read(image) {
  return reader.readBarcodes(image, options).then(function (results) {
    var found = results.filter(function (result) { return result.isValid && result.text; });
    return found.length ? found[0].text : null;
  });
}

self.onmessage = function (event) {
  var message = event.data;
  if (message.init) {
    try { start(message.init); } catch (error) { self.postMessage({ failed: String(error) }); }
    return;
  }
  var image = new ImageData(new Uint8ClampedArray(message.pixels), message.width, message.height);
  var answer = function (text) { self.postMessage({ id: message.id, text: text }); };
  if (!reader) { answer(null); return; }
  read(centre(image)).then(function (text) {
    return text || read(image);
  }).then(answer, function () { answer(null); });
};
