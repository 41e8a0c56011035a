// strings.js - every word of the speed page (bench.html), in English and Russian: a dictionary only,
// read by web/lib/i18n.js's translator; tests/node/i18n.test.mjs checks both have the same keys.

const en = {
  'title': 'Training speed in this tab',
  'go': 'Measure',
  'url.allowed': 'not used; allowed: {allowed}',
  'load': 'loading the data and the core…',
  'intro': 'One epoch of 784-128-64-10 (ReLU, softmax + cross-entropy, Adam) over every training image of the data set (all 60,000 when data/mnist-full.bin is there, else the 12,000 of the subset), for batch sizes 16, 32 and 64, in a Web Worker with the WebAssembly core, after a warm-up. The page stays responsive meanwhile.',
  'warm': 'batch {b}: warming up…',
  'epoch': 'batch {b}: one epoch over {n} images…',
  'done': 'done ({k})',
  'error': 'error: {m}',
  'batch': 'batch',
  'images': 'images',
  'seconds': 'seconds per epoch',
  'rate': 'samples/s',
  'pause': 'longest pause of the page, ms',
  'pauseNote': 'The last column is the longest time the page itself could not run a 10 ms timer during that epoch: under 50 ms is not felt.',
};

const ru = {
  'title': 'Скорость обучения в этой вкладке',
  'go': 'Измерить',
  'url.allowed': 'не применено; допустимо: {allowed}',
  'load': 'загрузка данных и ядра…',
  'intro': 'Одна эпоха сети 784-128-64-10 (ReLU, softmax + перекрёстная энтропия, Adam) по всем обучающим изображениям набора (все 60 000, если есть data/mnist-full.bin, иначе 12 000 из подвыборки) для размеров батча 16, 32 и 64 — в Web Worker на ядре WebAssembly, после разогрева. Страница при этом не замирает.',
  'warm': 'батч {b}: разогрев…',
  'epoch': 'батч {b}: эпоха по {n} изображениям…',
  'done': 'готово ({k})',
  'error': 'ошибка: {m}',
  'batch': 'батч',
  'images': 'изображений',
  'seconds': 'секунд на эпоху',
  'rate': 'примеров/с',
  'pause': 'самая долгая пауза страницы, мс',
  'pauseNote': 'Последний столбец — самое долгое время, когда сама страница не могла выполнить 10-мс таймер за эту эпоху: меньше 50 мс незаметно.',
};

export const STRINGS = Object.freeze({ en, ru });
