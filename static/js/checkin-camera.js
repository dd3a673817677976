// Door check-in: the camera. Whole frames at the camera's resolution go to the QR decoder, ZXing compiled to
// WebAssembly in a worker (checkin-decoder.js); a badge held in front of the lens is reported once.
// window.DoorCamera(options) returns {on, start, stop}; options: video, status (element), texts, decoderUrl,
// decoderScript, decoderWasm, onCode(text).
(function () {
  "use strict";

  window.DoorCamera = function (options) {
    var video = options.video;
    var texts = options.texts;
    var camera = { on: true, stream: null, timer: null, busy: false, worker: null, waiting: null, frame: 0,
                   canvas: document.createElement("canvas"), lastCode: "", lastSeen: 0 };
    camera.context = camera.canvas.getContext("2d", { willReadFrequently: true });

    function finishDecode(text) {
      var waiting = camera.waiting;
      camera.waiting = null;
      if (waiting) { waiting(text); }
    }

    function startWorker() {
      if (!window.Worker || !options.decoderUrl) { return null; }
      try {
        var worker = new Worker(options.decoderUrl);
        worker.onmessage = function (event) {
          if (event.data && event.data.failed) { camera.worker = null; }
          finishDecode(event.data && event.data.id === camera.frame ? event.data.text : null);
        };
        worker.onerror = function () { camera.worker = null; finishDecode(null); };
        worker.postMessage({ init: { script: options.decoderScript, wasm: options.decoderWasm } });
        return worker;
      } catch (e) {
        return null;
      }
    }

    function decodeFrame() {
      // No shrinking: a small badge at 2 px/mm is lost in a frame scaled down to 960 px.
      var width = video.videoWidth;
      var height = video.videoHeight;
      if (camera.canvas.width !== width || camera.canvas.height !== height) {
        camera.canvas.width = width;
        camera.canvas.height = height;
      }
      camera.context.drawImage(video, 0, 0, width, height);
      var image = camera.context.getImageData(0, 0, width, height);
      return new Promise(function (resolve) {
        if (!camera.worker) { resolve(null); return; }
        camera.frame += 1;
        camera.waiting = resolve;
        camera.worker.postMessage({ id: camera.frame, width: width, height: height, pixels: image.data.buffer },
                                  [image.data.buffer]);
      });
    }

    function onDecoded(text) {
      var now = Date.now();
      // A badge held in front of the lens is read many times a second: scan it once until it goes away.
      var same = text === camera.lastCode && now - camera.lastSeen < 3000;
      camera.lastSeen = now;
      camera.lastCode = text;
      if (!same) { options.onCode(text); }
    }

    function readFrame() {
      camera.timer = null;
      if (!camera.stream) { return; }
      if (camera.busy || video.readyState < 2 || !video.videoWidth) {
        camera.timer = window.setTimeout(readFrame, 150);
        return;
      }
      camera.busy = true;
      decodeFrame().then(function (text) {
        if (text) { onDecoded(text); }
      }).catch(function () { /* a frame that cannot be read is skipped */ }).then(function () {
        camera.busy = false;
        if (camera.stream) { camera.timer = window.setTimeout(readFrame, 60); }
      });
    }

    function stop() {
      window.clearTimeout(camera.timer);
      if (camera.stream) { camera.stream.getTracks().forEach(function (track) { track.stop(); }); }
      camera.stream = null;
      video.srcObject = null;
      video.hidden = true;
      options.status.textContent = "";
    }

    function start() {
      if (camera.stream || !api.on) { return; }
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        options.status.textContent = texts.camera_unavailable;
        return;
      }
      options.status.textContent = texts.camera_starting;
      camera.worker = camera.worker || startWorker();
      navigator.mediaDevices.getUserMedia({
        audio: false, video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } }
      }).then(function (stream) {
        if (!api.on) {
          stream.getTracks().forEach(function (track) { track.stop(); });
          return;
        }
        camera.stream = stream;
        video.srcObject = stream;
        video.hidden = false;
        return video.play().then(function () {
          options.status.textContent = texts.camera_running;
          readFrame();
        });
      }).catch(function () {
        stop();
        options.status.textContent = texts.camera_unavailable;
      });
    }

    var api = { on: true, start: start, stop: stop };
    return api;
  };
})();
