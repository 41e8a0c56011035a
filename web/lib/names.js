// names.js - words that are the same in every language and on every page: the optimizers' proper names
// and the hyperparameters' symbols. The pages' dictionaries (web/*/strings.js) spread these in, so a
// name is written once; a page may still override one entry with its own wording.

export const OPTIMIZER_NAMES = Object.freeze({
  'opt.sgd': 'SGD',
  'opt.momentum': 'Momentum',
  'opt.nesterov': 'Nesterov',
  'opt.adagrad': 'AdaGrad',
  'opt.rmsprop': 'RMSprop',
  'opt.adam': 'Adam',
  'opt.amsgrad': 'AMSGrad',
  'opt.adamw': 'AdamW',
});

export const HYPER_SYMBOLS = Object.freeze({
  'hp.momentum': 'γ',
  'hp.beta1': 'β₁',
  'hp.beta2': 'β₂',
  'hp.eps': 'ε',
  'hp.alpha': 'α',
  'hp.weight_decay': 'λ',
});
