// model-strings.js - the training page's words for model files and "Open in PyTorch" (model-ui.js),
// merged into strings.js's DICTIONARIES. Errors by ModelFileError's code (lib/model-file.js
// MODEL_ERRORS): 'model.CODE', with {file} (the file's name) and {field} (the JSON path it is about).
// The shared code dialog's words (ui/code-strings.js) come along, for the page's button.
import { CODE_STRINGS } from '../ui/code-strings.js';

const en = {
  ...CODE_STRINGS.en,
  'model.group': 'Model',
  'model.save': 'Save model',
  'model.saveTitle': 'Download the network, its optimizer state and the training position as a file (JSON) to continue later or open in PyTorch',
  'model.load': 'Load model…',
  'model.loadTitle': 'Continue a saved model: its settings, weights and optimizer state replace the current run',
  'model.saved': p => `Saved ${p.file} (epoch ${p.epoch}, iteration ${p.iteration}).`,
  'model.loading': p => `Loading ${p.file}…`,
  'model.loaded': p => `Loaded ${p.file}: epoch ${p.epoch}, iteration ${p.iteration}. Training continues from here.`,
  'model.NOT_JSON': p => `${p.file} is not a model file: it is not JSON text.`,
  'model.TRUNCATED': p => `${p.file} is cut off (an incomplete download or copy): the model cannot be read.`,
  'model.FOREIGN_FORMAT': p => `${p.file} is JSON, but not a Backprop Lab model file.`,
  'model.NEWER_VERSION': p => `${p.file} was saved by a newer Backprop Lab (format version ${p.version}); update the page to read it.`,
  'model.BAD_FIELD': p => `${p.file} is damaged: the value at “${p.field}” is missing or impossible.`,
  'model.BAD_LENGTH': p => `${p.file} is damaged: “${p.field}” has more values than its shape.`,
  'model.NOT_FINITE': p => `${p.file} holds a weight that is not a number (NaN or infinity) at “${p.field}”.`,
  'model.WRONG_ARCHITECTURE': p => `${p.file} is a network for other data (“${p.field}”): this page trains 784 inputs and 10 classes.`,
  'model.WRONG_DATA': p => `${p.file} was saved in the middle of an epoch over a training set of another size.`,
  'model.PAGE_UNSHOWN': p => `${p.file} uses settings this page cannot show (${p.fields}); continue it with the command line (bin/backprop-lab train --load).`,
  'model.ERROR': p => `${p.file} could not be loaded: ${p.message}`,
  'pytorch.note': p => `The script continues this run for ${p.steps} steps in PyTorch and prints the loss of each step, as the lab computes it. It reads model.json and the lab's training images and batch order (.npy) from its folder: download the .zip, unpack it and run “python3 train.py”.`,
  'pytorch.zip': p => `Download all (.zip, ${p.mb} MB)`,
};

const ru = {
  ...CODE_STRINGS.ru,
  'model.group': 'Модель',
  'model.save': 'Сохранить модель',
  'model.saveTitle': 'Скачать сеть, состояние оптимизатора и место в обучении файлом (JSON), чтобы продолжить позже или открыть в PyTorch',
  'model.load': 'Загрузить модель…',
  'model.loadTitle': 'Продолжить сохранённую модель: её настройки, веса и состояние оптимизатора заменят текущий запуск',
  'model.saved': p => `Сохранено: ${p.file} (эпоха ${p.epoch}, итерация ${p.iteration}).`,
  'model.loading': p => `Загружается ${p.file}…`,
  'model.loaded': p => `Загружено: ${p.file}, эпоха ${p.epoch}, итерация ${p.iteration}. Обучение продолжится отсюда.`,
  'model.NOT_JSON': p => `${p.file} — не файл модели: это не текст JSON.`,
  'model.TRUNCATED': p => `${p.file} обрезан (скачан или скопирован не полностью): модель не прочитать.`,
  'model.FOREIGN_FORMAT': p => `${p.file} — JSON, но не файл модели Backprop Lab.`,
  'model.NEWER_VERSION': p => `${p.file} сохранён более новой версией Backprop Lab (формат ${p.version}); обновите страницу, чтобы его прочитать.`,
  'model.BAD_FIELD': p => `${p.file} повреждён: значение «${p.field}» отсутствует или невозможно.`,
  'model.BAD_LENGTH': p => `${p.file} повреждён: в «${p.field}» больше значений, чем по форме.`,
  'model.NOT_FINITE': p => `В ${p.file} вес «${p.field}» — не число (NaN или бесконечность).`,
  'model.WRONG_ARCHITECTURE': p => `${p.file} — сеть для других данных («${p.field}»): эта страница обучает 784 входа и 10 классов.`,
  'model.WRONG_DATA': p => `${p.file} сохранён посреди эпохи на обучающей выборке другого размера.`,
  'model.PAGE_UNSHOWN': p => `В ${p.file} есть настройки, которые эта страница не показывает (${p.fields}); продолжите его в командной строке (bin/backprop-lab train --load).`,
  'model.ERROR': p => `${p.file} не удалось загрузить: ${p.message}`,
  'pytorch.note': p => `Скрипт продолжает этот запуск на ${p.steps} шагов в PyTorch и печатает потерю каждого шага — те же числа, что считает лаборатория. Он читает model.json, обучающие изображения и порядок батчей лаборатории (.npy) из своей папки: скачайте .zip, распакуйте и запустите «python3 train.py».`,
  'pytorch.zip': p => `Скачать всё (.zip, ${p.mb} МБ)`,
};

export const MODEL_STRINGS = Object.freeze({ en, ru });
