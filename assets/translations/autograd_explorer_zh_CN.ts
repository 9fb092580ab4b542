<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>Autosave is off: cannot create {folder}: {error}</source>
        <translation>自动保存已关闭：无法创建 {folder}：{error}</translation>
    </message>
    <message>
        <source>Autosave failed: {error}</source>
        <translation>自动保存失败：{error}</translation>
    </message>
    <message>
        <source>an untitled program</source>
        <translation>未命名的程序</translation>
    </message>
    <message>
        <source>Restore unsaved work?</source>
        <translation>恢复未保存的工作？</translation>
    </message>
    <message>
        <source>Autograd Explorer did not close properly. Unsaved changes to {where} were saved aside. Restore them?</source>
        <translation>Autograd Explorer 上次没有正常关闭。对 {where} 的未保存修改已另行保存。要恢复吗？</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Cannot restore the autosave: {error}</source>
        <translation>无法恢复自动保存的内容：{error}</translation>
    </message>
    <message>
        <source>It is kept as {path}.</source>
        <translation>它保留为 {path}。</translation>
    </message>
    <message>
        <source>Restore Autosave</source>
        <translation>恢复自动保存</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Arithmetic</source>
        <translation>算术</translation>
    </message>
    <message>
        <source>Elementwise</source>
        <translation>逐元素</translation>
    </message>
    <message>
        <source>Reductions</source>
        <translation>归约</translation>
    </message>
    <message>
        <source>Matrix</source>
        <translation>矩阵</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Autograd</source>
        <translation>自动求导</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>作用域</translation>
    </message>
    <message>
        <source>Control</source>
        <translation>控制流</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Delete Block</source>
        <translation>删除积木块</translation>
    </message>
    <message>
        <source>Duplicate Block</source>
        <translation>复制积木块</translation>
    </message>
    <message>
        <source>Disable / Enable Block</source>
        <translation>停用 / 启用积木块</translation>
    </message>
    <message>
        <source>Move Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>line {line}: {message}</source>
        <translation>第 {line} 行：{message}</translation>
    </message>
    <message>
        <source>Insert Block</source>
        <translation>插入积木块</translation>
    </message>
    <message>
        <source>Edit Block</source>
        <translation>编辑积木块</translation>
    </message>
    <message>
        <source>Enable Block</source>
        <translation>启用积木块</translation>
    </message>
    <message>
        <source>Disable Block</source>
        <translation>停用积木块</translation>
    </message>
    <message>
        <source>Move Block</source>
        <translation>移动积木块</translation>
    </message>
    <message>
        <source>Edit Code</source>
        <translation>编辑代码</translation>
    </message>
    <message>
        <source>stopped: {error}</source>
        <translation>已停止：{error}</translation>
    </message>
    <message>
        <source>Autograd Explorer files (*.agx.json *.json);;Python programs (*.py);;Tutorials (*.ipynb *.md *.markdown *.html *.htm *.py);;All files (*)</source>
        <translation>Autograd Explorer 文件 (*.agx.json *.json);;Python 程序 (*.py);;教程 (*.ipynb *.md *.markdown *.html *.htm *.py);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Tutorials (*.ipynb *.md *.markdown *.html *.htm *.py);;All files (*)</source>
        <translation>教程 (*.ipynb *.md *.markdown *.html *.htm *.py);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Autograd Explorer files (*.agx.json);;Python programs (*.py)</source>
        <translation>Autograd Explorer 文件 (*.agx.json);;Python 程序 (*.py)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Save As</source>
        <translation>另存为</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>The program has unsaved changes. Save them first?</source>
        <translation>程序有未保存的修改。要先保存吗？</translation>
    </message>
    <message>
        <source>Import tutorial</source>
        <translation>导入教程</translation>
    </message>
    <message>
        <source>Cannot open {path}: {error}</source>
        <translation>无法打开 {path}：{error}</translation>
    </message>
    <message>
        <source>Cannot save {path}: {error}</source>
        <translation>无法保存 {path}：{error}</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Clear Recent Files</source>
        <translation>清除最近文件列表</translation>
    </message>
    <message>
        <source>No Chinese font is installed, so Chinese text shows as boxes. Install one, for example fonts-noto-cjk.</source>
        <translation>系统没有安装中文字体，中文会显示为方框。请安装一个中文字体，例如 fonts-noto-cjk。</translation>
    </message>
    <message>
        <source>Tensor–Function</source>
        <translation>张量–Function 图</translation>
    </message>
    <message>
        <source>Tensors and the Functions between them</source>
        <translation>张量以及它们之间的 Function</translation>
    </message>
    <message>
        <source>grad_fn graph</source>
        <translation>grad_fn 图</translation>
    </message>
    <message>
        <source>PyTorch&apos;s grad_fn graph, as torchviz draws it</source>
        <translation>PyTorch 的 grad_fn 图，与 torchviz 的画法相同</translation>
    </message>
    <message>
        <source>laying out {count} nodes…</source>
        <translation>正在布局 {count} 个节点…</translation>
    </message>
    <message>
        <source>{count} nodes</source>
        <translation>{count} 个节点</translation>
    </message>
    <message>
        <source>layout failed: {message}</source>
        <translation>布局失败：{message}</translation>
    </message>
    <message>
        <source>Zoom In</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom Out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Actual Size</source>
        <translation>实际大小</translation>
    </message>
    <message>
        <source>Fit to Window</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <source>Select a node in the graph to inspect it.</source>
        <translation>在图中选择一个节点来查看它。</translation>
    </message>
    <message>
        <source>{node} does not exist at this step.</source>
        <translation>{node} 在这一步还不存在。</translation>
    </message>
    <message>
        <source>made by {origin}: not tracked by autograd</source>
        <translation>由 {origin} 得到：autograd 不追踪它</translation>
    </message>
    <message>
        <source>.grad over time: {values}</source>
        <translation>.grad 随时间的变化：{values}</translation>
    </message>
    <message>
        <source>backward: {formula}</source>
        <translation>反向：{formula}</translation>
    </message>
    <message>
        <source>accumulates into {name}.grad</source>
        <translation>累加到 {name}.grad</translation>
    </message>
    <message>
        <source>saved tensors:</source>
        <translation>保存的张量：</translation>
    </message>
    <message>
        <source>freed</source>
        <translation>已释放</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>积木块</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>程序</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Double-click or drag to add: {title}</source>
        <translation>双击或拖动来添加：{title}</translation>
    </message>
    <message>
        <source>(R reveals the answer)</source>
        <translation>（按 R 揭晓答案）</translation>
    </message>
    <message>
        <source>&amp;Presentation Mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Projector</source>
        <translation>投影仪</translation>
    </message>
    <message>
        <source>leaf tensor (requires_grad)</source>
        <translation>叶子张量 (requires_grad)</translation>
    </message>
    <message>
        <source>non-leaf tensor (has grad_fn)</source>
        <translation>非叶子张量 (有 grad_fn)</translation>
    </message>
    <message>
        <source>made under no_grad</source>
        <translation>在 no_grad 中创建</translation>
    </message>
    <message>
        <source>made by .detach()</source>
        <translation>由 .detach() 创建</translation>
    </message>
    <message>
        <source>made by .data</source>
        <translation>由 .data 创建</translation>
    </message>
    <message>
        <source>output tensor</source>
        <translation>输出张量</translation>
    </message>
    <message>
        <source>Function (grad_fn)</source>
        <translation>Function (grad_fn)</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Run to the end</source>
        <translation>运行到最后</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Back to the first step</source>
        <translation>回到第一步</translation>
    </message>
    <message>
        <source>First</source>
        <translation>第一帧</translation>
    </message>
    <message>
        <source>First frame</source>
        <translation>第一帧</translation>
    </message>
    <message>
        <source>Step back</source>
        <translation>后退一步</translation>
    </message>
    <message>
        <source>One step back</source>
        <translation>后退一步</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>One step forward</source>
        <translation>前进一步</translation>
    </message>
    <message>
        <source>Last</source>
        <translation>最后一帧</translation>
    </message>
    <message>
        <source>Last frame</source>
        <translation>最后一帧</translation>
    </message>
    <message>
        <source>{tip} ({shortcut})</source>
        <translation>{tip}（{shortcut}）</translation>
    </message>
    <message>
        <source>frame {index} / {count}</source>
        <translation>第 {index} / {count} 帧</translation>
    </message>
    <message>
        <source>no frames</source>
        <translation>没有帧</translation>
    </message>
    <message>
        <source>&amp;Undo {command}</source>
        <translation>撤销 {command}(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo {command}</source>
        <translation>重做 {command}(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>Text &amp;Size</source>
        <translation>文字大小(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Larger Text</source>
        <translation>放大文字(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Smaller Text</source>
        <translation>缩小文字(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Usual Text Size</source>
        <translation>默认文字大小(&amp;U)</translation>
    </message>
    <message>
        <source>Start (Home)</source>
        <translation>开始（Home）</translation>
    </message>
    <message>
        <source>Step back (←)</source>
        <translation>后退一步（←）</translation>
    </message>
    <message>
        <source>Play / pause (Space)</source>
        <translation>播放 / 暂停（空格）</translation>
    </message>
    <message>
        <source>Step forward (→)</source>
        <translation>前进一步（→）</translation>
    </message>
    <message>
        <source>End (End)</source>
        <translation>结束（End）</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Chain rule</source>
        <translation>链式法则</translation>
    </message>
    <message>
        <source>Show each edge&apos;s local derivative and the product with the gradient</source>
        <translation>显示每条边的局部导数以及它与梯度的乘积</translation>
    </message>
    <message>
        <source>Vector–Jacobian product</source>
        <translation>向量–雅可比积</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>&amp;Lessons…</source>
        <translation>课程(&amp;L)…</translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation>揭晓答案</translation>
    </message>
    <message>
        <source>Right! </source>
        <translation>答对了！</translation>
    </message>
    <message>
        <source>Not quite. </source>
        <translation>不太对。</translation>
    </message>
    <message>
        <source>Import tutorial…</source>
        <translation>导入教程…</translation>
    </message>
    <message>
        <source>The v of backward(v): one weight per output element. Enter to apply.</source>
        <translation>backward(v) 中的 v：每个输出元素一个权重。按回车应用。</translation>
    </message>
    <message>
        <source>Go to a step that calls y.backward(v) on a tensor with several elements to see and edit v.</source>
        <translation>转到对多元素张量调用 y.backward(v) 的那一步，就能查看和编辑 v。</translation>
    </message>
    <message>
        <source>backward(v) computes vᵀJ: each leaf&apos;s gradient is v weighted by how much each output element depends on it.</source>
        <translation>backward(v) 计算 vᵀJ：每个叶子张量的梯度，是按各输出元素对它的依赖程度对 v 加权求和的结果。</translation>
    </message>
    <message>
        <source>Jacobian not available: {error}</source>
        <translation>无法得到雅可比矩阵：{error}</translation>
    </message>
    <message>
        <source>Jacobian not shown (too large, or the step is inside a block).</source>
        <translation>未显示雅可比矩阵（太大，或该步骤位于代码块内）。</translation>
    </message>
    <message>
        <source>vᵀJ = {vjp} ✓ equals the gradient backward(v) accumulated into {leaf}.grad.</source>
        <translation>vᵀJ = {vjp} ✓ 等于 backward(v) 累加到 {leaf}.grad 中的梯度。</translation>
    </message>
    <message>
        <source>vᵀJ = {vjp} ✗ differs from the gradient backward(v) accumulated into {leaf}.grad.</source>
        <translation>vᵀJ = {vjp} ✗ 与 backward(v) 累加到 {leaf}.grad 中的梯度不同。</translation>
    </message>
    <message>
        <source>v must be numbers separated by commas.</source>
        <translation>v 必须是用逗号分隔的数字。</translation>
    </message>
    <message>
        <source>v needs {count} numbers.</source>
        <translation>v 需要 {count} 个数字。</translation>
    </message>
    <message>
        <source>Only a one-dimensional v can be edited here.</source>
        <translation>这里只能编辑一维的 v。</translation>
    </message>
    <message>
        <source>Only a backward(v) at the top level of the program can be edited here.</source>
        <translation>这里只能编辑程序顶层的 backward(v)。</translation>
    </message>
    <message>
        <source>v is not written as torch.tensor([...]) in the program; edit it there.</source>
        <translation>程序中的 v 不是以 torch.tensor([...]) 写出的；请在程序中修改它。</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Copy Graph Image</source>
        <translation>复制计算图图片</translation>
    </message>
    <message>
        <source>graph</source>
        <translation>计算图</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Could not export: {error}</source>
        <translation>无法导出：{error}</translation>
    </message>
    <message>
        <source>nothing to export: run the program first</source>
        <translation>没有可导出的内容：请先运行程序</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
    <message>
        <source>Graph image copied</source>
        <translation>已复制计算图图片</translation>
    </message>
    <message>
        <source>Cancel run</source>
        <translation>取消运行</translation>
    </message>
    <message>
        <source>Stop the running program</source>
        <translation>停止正在运行的程序</translation>
    </message>
    <message>
        <source>running… {count} steps</source>
        <translation>运行中… {count} 步</translation>
    </message>
    <message>
        <source>Step into</source>
        <translation>步入</translation>
    </message>
    <message>
        <source>Into the function or Module the step calls</source>
        <translation>进入这一步调用的函数或模块</translation>
    </message>
    <message>
        <source>Step out</source>
        <translation>步出</translation>
    </message>
    <message>
        <source>Out of the current call</source>
        <translation>跳出当前调用</translation>
    </message>
    <message>
        <source>This iteration ran without a drawing: a long loop is drawn for its first 50 iterations, every 100th, and after it</source>
        <translation>这一轮已运行但未绘制：长循环只绘制前 50 轮、每第 100 轮以及循环之后</translation>
    </message>
    <message>
        <source>Prints what the page shows.</source>
        <translation>输出与页面所示一致。</translation>
    </message>
    <message>
        <source>Not run: the run stopped before this cell.</source>
        <translation>未运行：运行在此单元之前已停止。</translation>
    </message>
    <message>
        <source>Prints what the page shows, but for random values (the page drew them without a seed):</source>
        <translation>输出与页面所示一致，只是随机数值不同（页面未设置随机种子）：</translation>
    </message>
    <message>
        <source>Prints something else than the page (- page, + run):</source>
        <translation>输出与页面所示不同（- 页面，+ 运行）：</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>(temporary)</source>
        <translation>（临时）</translation>
    </message>
    <message>
        <source>saved: freed</source>
        <translation>已保存：已释放</translation>
    </message>
    <message>
        <source>saved: {count}</source>
        <translation>已保存：{count}</translation>
    </message>
    <message>
        <source>saved {name}: freed</source>
        <translation>已保存的 {name}：已释放</translation>
    </message>
    <message>
        <source>saved {name} changed behind autograd&apos;s back</source>
        <translation>已保存的 {name} 在 autograd 不知情时被改动</translation>
    </message>
    <message>
        <source>saved {name}: version {saved} → {now}</source>
        <translation>已保存的 {name}：版本 {saved} → {now}</translation>
    </message>
    <message>
        <source>backward() freed this saved tensor (no retain_graph=True): a second backward through this Function raises.</source>
        <translation>backward() 释放了这个保存的张量（没有 retain_graph=True）：再次经过这个 Function 反向传播会报错。</translation>
    </message>
    <message>
        <source>The saved tensor&apos;s values changed (a .data edit) but its _version did not: autograd cannot notice, and backward will use the new values.</source>
        <translation>保存的张量的值变了（.data 修改），但 _version 没变：autograd 无法察觉，backward 会使用新的值。</translation>
    </message>
    <message>
        <source>An in-place op changed the saved tensor and raised its _version: backward through this Function raises.</source>
        <translation>原地操作修改了保存的张量并增加了它的 _version：经过这个 Function 反向传播会报错。</translation>
    </message>
    <message>
        <source>Backward animation: play / pause</source>
        <translation>反向传播动画：播放 / 暂停</translation>
    </message>
    <message>
        <source>Backward animation: step forward / back</source>
        <translation>反向传播动画：前进一步 / 后退一步</translation>
    </message>
    <message>
        <source>Backward animation: start / end</source>
        <translation>反向传播动画：开头 / 结尾</translation>
    </message>
    <message>
        <source>Presentation: next / previous step</source>
        <translation>演示：下一步 / 上一步</translation>
    </message>
    <message>
        <source>Presentation: blank the screen</source>
        <translation>演示：黑屏</translation>
    </message>
    <message>
        <source>Presentation: leave</source>
        <translation>演示：退出</translation>
    </message>
    <message>
        <source>Blocks palette: add the chosen block</source>
        <translation>积木面板：添加选中的积木</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Scan to follow the class (click to hide)</source>
        <translation>扫码跟随课堂（点击隐藏）</translation>
    </message>
    <message>
        <source>Share with &amp;Class</source>
        <translation>与全班共享(&amp;C)</translation>
    </message>
    <message>
        <source>Show on Screen</source>
        <translation>在屏幕上显示</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>课堂</translation>
    </message>
    <message>
        <source>Could not share with the class: {error}</source>
        <translation>无法与全班共享：{error}</translation>
    </message>
    <message>
        <source>Students open (same network):</source>
        <translation>学生打开（同一网络）：</translation>
    </message>
    <message>
        <source>Answers so far: {count}</source>
        <translation>目前的回答：{count}</translation>
    </message>
</context>
</TS>
