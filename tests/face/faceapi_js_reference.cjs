// Writes tests/face/data/faceapi_js_1.7.15.json: the outputs of the reference JavaScript
// implementation (@vladmandic/face-api 1.7.15 on TensorFlow.js 4.22's CPU backend, the weights
// scripts/install-face-models installs) for the golden images of ../shared/data/face/faceapi-golden,
// so that tests/face/networks_golden_test.cc can check that idreg reproduces it, not only that it
// lands near the golden files.
//
// Inputs are image tensors (the path face-api.js takes outside a browser): the pixels idreg decodes
// (OpenCV), written as "W H\n" + RGB bytes by this 12-line program (g++ dump.cc $(pkg-config
// --cflags --libs opencv4)):
//   #include <opencv2/imgcodecs.hpp>
//   #include <opencv2/imgproc.hpp>
//   #include <cstdio>
//   int main(int argc, char** argv) {
//     for (int i = 1; i + 1 < argc; i += 2) {
//       cv::Mat bgr = cv::imread(argv[i], cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION), rgb;
//       cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
//       FILE* f = fopen(argv[i + 1], "wb");
//       fprintf(f, "%d %d\n", rgb.cols, rgb.rows);
//       for (int y = 0; y < rgb.rows; ++y) fwrite(rgb.ptr(y), 1, rgb.cols * 3, f);
//       fclose(f);
//     } }
// Then, in a scratch folder holding face1.rgb, face2.rgb, rect.rgb (face_rectangular.png) and
// faces.rgb:
//   npm pack @vladmandic/face-api@1.7.15 && tar xzf vladmandic-face-api-1.7.15.tgz
//   npm install @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0
//   node faceapi_js_reference.cjs MODELS_DIR OUT.json
const fs = require('fs');
const tf = require('@tensorflow/tfjs');
const faceapi = require('./package/dist/face-api.node-wasm.js');

function load(name) {
  const b = fs.readFileSync(name);
  const nl = b.indexOf(10);
  const [w, h] = b.slice(0, nl).toString().split(' ').map(Number);
  return tf.tensor3d(new Int32Array(b.slice(nl + 1)), [h, w, 3], 'int32');
}
const r = (v) => Math.round(v * 1e5) / 1e5;

(async () => {
  const [models, outPath] = process.argv.slice(2);
  await faceapi.tf.setBackend('cpu');
  await faceapi.tf.ready();
  await faceapi.nets.faceLandmark68Net.loadFromDisk(models);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(models);
  await faceapi.nets.tinyFaceDetector.loadFromDisk(models);
  const out = { generator: 'tests/face/faceapi_js_reference.cjs', faceapi: '@vladmandic/face-api 1.7.15', tfjs: faceapi.tf.version_core, backend: faceapi.tf.getBackend() };
  // faceLandmark68Net.detectLandmarks(tensor): the call of face-api.js's landmark tests.
  for (const img of ['face1', 'rect']) {
    const lm = await faceapi.nets.faceLandmark68Net.detectLandmarks(load(img + '.rgb'));
    out[img + '_landmarks'] = lm.positions.map((p) => [r(p.x), r(p.y)]);
  }
  // faceRecognitionNet.computeFaceDescriptor(tensor): the call of its recognition tests.
  for (const img of ['face1', 'face2', 'rect']) {
    const d = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(load(img + '.rgb'));
    out[img + '_descriptor'] = Array.from(d).map(r);
  }
  // detectAllFaces(tensor, TinyFaceDetectorOptions({ inputSize: 416 })).withFaceLandmarks().
  const faces = await faceapi.detectAllFaces(load('faces.rgb'), new faceapi.TinyFaceDetectorOptions({ inputSize: 416 })).withFaceLandmarks();
  out.faces = faces.map((f) => ({
    box: [f.detection.box.x, f.detection.box.y, f.detection.box.width, f.detection.box.height].map(r),
    score: r(f.detection.score),
    landmarks: f.landmarks.positions.map((p) => [r(p.x), r(p.y)]),
  }));
  fs.writeFileSync(outPath, JSON.stringify(out) + '\n');
})();
