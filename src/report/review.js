
(function () {
  function clock(s) { s = Math.max(0, Math.round(s)); return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0'); }
  document.querySelectorAll('.answer').forEach(function (section) {
    var audio = section.querySelector('audio');
    if (!audio) { return; }
    var state = section.querySelector('.audio-state');
    var words = Array.prototype.slice.call(section.querySelectorAll('.w[data-t]'));
    var timeline = section.querySelector('svg.tl');
    var playheads = section.querySelectorAll('.playhead');
    audio.addEventListener('loadedmetadata', function () {
      section.dataset.audio = 'ready';
      state.textContent = clock(audio.duration) + ' recorded · click a word to play from there';
    });
    audio.addEventListener('error', function () {
      section.dataset.audio = 'error';
      state.textContent = 'This recording cannot be played.';
    });
    // Words, key-point times and timeline marks play the recording from their moment.
    section.querySelectorAll('[data-t], [data-at]').forEach(function (el) {
      el.addEventListener('click', function () {
        audio.currentTime = parseFloat(el.dataset.t !== undefined ? el.dataset.t : el.dataset.at);
        audio.play();
      });
    });
    audio.addEventListener('timeupdate', function () {
      var t = audio.currentTime;
      if (timeline) {
        var x = String(Math.min(1, t / parseFloat(timeline.dataset.length)) * 1000);
        timeline.classList.add('playing');
        playheads.forEach(function (line) { line.setAttribute('x1', x); line.setAttribute('x2', x); });
      }
      words.forEach(function (w) {
        w.classList.toggle('now', t >= parseFloat(w.dataset.t) && t < parseFloat(w.dataset.end));
      });
    });
  });
})();
